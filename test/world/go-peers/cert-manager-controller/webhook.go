package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/signal"
	"syscall"

	"github.com/spf13/pflag"
	ciphers "k8s.io/component-base/cli/flag"
	crlog "sigs.k8s.io/controller-runtime/pkg/log"
	crwebhook "sigs.k8s.io/controller-runtime/pkg/webhook"

	webhookvalidation "github.com/cert-manager/cert-manager/internal/apis/config/webhook/validation"
	cmwebhook "github.com/cert-manager/cert-manager/internal/webhook"
	logf "github.com/cert-manager/cert-manager/pkg/logs"
	utilfeature "github.com/cert-manager/cert-manager/pkg/util/feature"
	cmadmission "github.com/cert-manager/cert-manager/pkg/webhook/admission"
	"github.com/cert-manager/cert-manager/pkg/webhook/options"
)

// runWebhook serves cert-manager's admission webhook: the server that
// internal/webhook builds from pkg/webhook/options (upstream's flags and
// defaults), with its admission chain, scheme and certificate source, but
// listening on a loopback address. Upstream's server.Run binds every
// interface and starts metrics and healthz listeners, which a test world must
// not; so the same handlers are served here on --listen-host, and nothing else.
func runWebhook(args []string) error {
	cfg, err := options.NewWebhookConfiguration()
	if err != nil {
		return err
	}
	listenHost := "127.0.0.1"
	fs := pflag.NewFlagSet("webhook", pflag.ContinueOnError)
	options.AddConfigFlags(fs, cfg)
	fs.StringVar(&listenHost, "listen-host", listenHost, "Loopback IP address the webhook's TLS listener binds (with --secure-port); /healthz is served there too")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if ip := net.ParseIP(listenHost); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--listen-host %q is not a loopback IP address", listenHost)
	}
	if !cfg.TLSConfig.FilesystemConfigProvided() {
		return errors.New("--tls-cert-file and --tls-private-key-file are required (the test world serves a certificate for its loopback address)")
	}

	logf.InitLogs()
	if err := logf.ValidateAndApply(&cfg.Logging); err != nil {
		return fmt.Errorf("logging flags: %w", err)
	}
	if err := utilfeature.DefaultMutableFeatureGate.SetFromMap(cfg.FeatureGates); err != nil {
		return fmt.Errorf("--feature-gates: %w", err)
	}
	if errs := webhookvalidation.ValidateWebhookConfiguration(cfg, nil); len(errs) > 0 {
		return fmt.Errorf("invalid configuration: %v", errs.ToAggregate())
	}

	// Metrics are not served here; pointing their (unused) certificate source at
	// the serving files only keeps upstream from logging "serving insecurely".
	cfg.MetricsTLSConfig.Filesystem = cfg.TLSConfig.Filesystem

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	log := logf.Log.WithName("certsmith-webhook")
	ctx = logf.NewContext(ctx, log)
	crlog.SetLogger(log)

	srv, err := cmwebhook.NewCertManagerWebhookServer(log, *cfg)
	if err != nil {
		return err
	}
	cipherSuites, err := ciphers.TLSCipherSuites(srv.CipherSuites)
	if err != nil {
		return err
	}
	minVersion, err := ciphers.TLSVersion(srv.MinTLSVersion)
	if err != nil {
		return err
	}

	source := srv.CertificateSource
	sourceFailed := make(chan error, 1)
	go func() { sourceFailed <- source.Start(ctx) }()

	server := crwebhook.NewServer(crwebhook.Options{
		Host: listenHost,
		Port: srv.ListenAddr,
		TLSOpts: []func(*tls.Config){func(c *tls.Config) {
			c.CipherSuites = cipherSuites
			c.MinVersion = minVersion
			c.GetCertificate = source.GetCertificate
		}},
	})
	server.Register("/mutate", cmadmission.NewCustomMutationWebhook(srv.MutationWebhook))
	server.Register("/validate", cmadmission.NewCustomValidationWebhook(srv.ResourceScheme, srv.ValidationWebhook))
	// Healthy once the serving certificate is loaded, as upstream's /healthz.
	server.WebhookMux().HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		if !source.Healthy() {
			http.Error(w, "no serving certificate yet\n", http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})

	served := make(chan error, 1)
	go func() { served <- server.Start(ctx) }()
	log.Info("serving cert-manager's admission webhook", "address", net.JoinHostPort(listenHost, fmt.Sprint(srv.ListenAddr)), "paths", []string{"/validate", "/mutate", "/healthz"})
	select {
	case err = <-served:
	case err = <-sourceFailed:
		if err != nil {
			err = fmt.Errorf("serving certificate: %w", err)
		}
		stop()
		<-served
	}
	logf.FlushLogs()
	if ctx.Err() != nil && err == nil {
		return nil
	}
	return err
}
