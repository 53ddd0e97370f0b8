package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/pflag"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/sets"
	cliflag "k8s.io/component-base/cli/flag"
	logsapi "k8s.io/component-base/logs/api/v1"

	controllerpkg "github.com/cert-manager/cert-manager/pkg/controller"
	challenges "github.com/cert-manager/cert-manager/pkg/controller/acmechallenges"
	orders "github.com/cert-manager/cert-manager/pkg/controller/acmeorders"
	ingressshim "github.com/cert-manager/cert-manager/pkg/controller/certificate-shim/ingresses"
	cracme "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/acme"
	crapprover "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/approver"
	crca "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/ca"
	crselfsigned "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/selfsigned"
	crvault "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/vault"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/issuing"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/keymanager"
	certificatesmetrics "github.com/cert-manager/cert-manager/pkg/controller/certificates/metrics"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/readiness"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/requestmanager"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/revisionmanager"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/trigger"
	clusterissuers "github.com/cert-manager/cert-manager/pkg/controller/clusterissuers"
	issuers "github.com/cert-manager/cert-manager/pkg/controller/issuers"
	logf "github.com/cert-manager/cert-manager/pkg/logs"
	utilfeature "github.com/cert-manager/cert-manager/pkg/util/feature"

	// The issuer implementations that the issuers/clusterissuers and
	// certificaterequests-issuer-* controllers look up by type.
	_ "github.com/cert-manager/cert-manager/pkg/issuer/acme"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/ca"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/selfsigned"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/vault"
)

// The controllers this build holds (each package registers itself with
// controllerpkg.Known()), in upstream's default set. Not built: Venafi (the
// module proxy refuses github.com/Venafi/vcert/v5: 403), the experimental
// CertificateSigningRequest controllers and the Gateway API shim.
var defaultControllers = []string{
	issuers.ControllerName,
	clusterissuers.ControllerName,
	certificatesmetrics.ControllerName,
	ingressshim.ControllerName,
	orders.ControllerName,
	challenges.ControllerName,
	cracme.CRControllerName,
	crapprover.ControllerName,
	crca.CRControllerName,
	crselfsigned.CRControllerName,
	crvault.CRControllerName,
	trigger.ControllerName,
	issuing.ControllerName,
	keymanager.ControllerName,
	requestmanager.ControllerName,
	readiness.ControllerName,
	revisionmanager.ControllerName,
}

// Controllers that need cluster scope (dropped when --namespace is set).
var clusterScopedControllers = []string{clusterissuers.ControllerName}

// flags: what upstream's controller flags write into its configuration,
// under upstream's flag names and with upstream's defaults (v1.21.2,
// internal/apis/config/controller/v1alpha1/defaults.go). That package cannot
// be imported here: it imports the Venafi controllers.
type flags struct {
	kubeconfig                     string
	qps                            float32
	burst                          int
	namespace                      string
	clusterResourceNamespace       string
	controllers                    []string
	clusterIssuerAmbient           bool
	issuerAmbient                  bool
	solverImage                    string
	solverRequestCPU, solverReqMem string
	solverLimitCPU, solverLimMem   string
	solverNameservers              []string
	dns01Nameservers               []string
	dns01NameserversOnly           bool
	dns01CheckRetryPeriod          time.Duration
	crMinBackoff, crMaxBackoff     time.Duration
	ownerRef                       bool
	workers                        int
	maxChallenges                  int
	copiedAnnotationPrefixes       []string
	autoCertificateAnnotations     []string
	defaultIssuerKind              string
	defaultIssuerGroup             string
	featureGates                   map[string]bool
	logging                        *logsapi.LoggingConfiguration
	readinessAddress               string
}

func addControllerFlags(fs *pflag.FlagSet, f *flags) {
	fs.StringVar(&f.kubeconfig, "kubeconfig", "", "Path to a kubeconfig")
	fs.Float32Var(&f.qps, "kube-api-qps", 20, "Maximum queries per second to the API server (when it has no API Priority and Fairness)")
	fs.IntVar(&f.burst, "kube-api-burst", 50, "Maximum burst of requests to the API server")
	fs.StringVar(&f.namespace, "namespace", "", "Watch only this namespace (ClusterIssuers are then disabled); empty: all")
	fs.StringVar(&f.clusterResourceNamespace, "cluster-resource-namespace", "kube-system", "Namespace holding the Secrets of ClusterIssuers (created when missing)")
	fs.StringSliceVar(&f.controllers, "controllers", []string{"*"}, "Controllers to run: '*' the default set, 'name' adds one, '-name' removes one. Default set: "+strings.Join(defaultControllers, ", "))
	fs.BoolVar(&f.clusterIssuerAmbient, "cluster-issuer-ambient-credentials", true, "ClusterIssuers may use ambient credentials")
	fs.BoolVar(&f.issuerAmbient, "issuer-ambient-credentials", false, "Issuers may use ambient credentials")
	fs.StringVar(&f.solverImage, "acme-http01-solver-image", "quay.io/jetstack/cert-manager-acmesolver:"+certManagerVersion(), "Image of HTTP-01 solver pods (they never run here: no kubelet)")
	fs.StringVar(&f.solverRequestCPU, "acme-http01-solver-resource-request-cpu", "10m", "HTTP-01 solver pod CPU request")
	fs.StringVar(&f.solverReqMem, "acme-http01-solver-resource-request-memory", "64Mi", "HTTP-01 solver pod memory request")
	fs.StringVar(&f.solverLimitCPU, "acme-http01-solver-resource-limits-cpu", "100m", "HTTP-01 solver pod CPU limit")
	fs.StringVar(&f.solverLimMem, "acme-http01-solver-resource-limits-memory", "64Mi", "HTTP-01 solver pod memory limit")
	fs.StringSliceVar(&f.solverNameservers, "acme-http01-solver-nameservers", nil, "host:port resolvers for the HTTP-01 self check")
	fs.StringSliceVar(&f.dns01Nameservers, "dns01-recursive-nameservers", nil, "host:port (or https:// DoH) resolvers for the DNS-01 self check and zone lookups")
	fs.BoolVar(&f.dns01NameserversOnly, "dns01-recursive-nameservers-only", false, "Ask only the recursive nameservers (never the authoritative ones) in the DNS-01 self check")
	fs.DurationVar(&f.dns01CheckRetryPeriod, "dns01-check-retry-period", 10*time.Second, "Wait between two DNS-01/HTTP-01 propagation checks")
	fs.DurationVar(&f.crMinBackoff, "certificate-request-minimum-backoff-duration", time.Hour, "First backoff after a failed CertificateRequest (doubles per failure)")
	fs.DurationVar(&f.crMaxBackoff, "certificate-request-maximum-backoff-duration", 32*time.Hour, "Longest backoff after failed CertificateRequests")
	fs.BoolVar(&f.ownerRef, "enable-certificate-owner-ref", false, "Make the Certificate the owner of its Secret")
	fs.IntVar(&f.workers, "concurrent-workers", 5, "Workers per controller")
	fs.IntVar(&f.maxChallenges, "max-concurrent-challenges", 60, "Challenges processed at once")
	fs.StringSliceVar(&f.copiedAnnotationPrefixes, "copied-annotation-prefixes", []string{"*", "-kubectl.kubernetes.io/", "-fluxcd.io/", "-argocd.argoproj.io/"}, "Annotations copied from Certificate to CertificateRequest and Order")
	fs.StringSliceVar(&f.autoCertificateAnnotations, "auto-certificate-annotations", []string{"kubernetes.io/tls-acme"}, "Ingress annotations that ask ingress-shim for a Certificate")
	fs.StringVar(&f.defaultIssuerKind, "default-issuer-kind", "Issuer", "ingress-shim's default issuer kind")
	fs.StringVar(&f.defaultIssuerGroup, "default-issuer-group", "cert-manager.io", "ingress-shim's default issuer group")
	f.featureGates = map[string]bool{}
	fs.Var(cliflag.NewMapStringBool(&f.featureGates), "feature-gates", "key=value pairs of cert-manager feature gates")
	f.logging = logsapi.NewLoggingConfiguration()
	logf.AddFlags(f.logging, fs)
	fs.StringVar(&f.readinessAddress, "readiness-address", "", "Loopback host:port serving /readyz (200 once every informer cache has synced and the controllers run) and /livez; empty: none")
}

func (f *flags) validate() error {
	var problems []string
	for _, ns := range f.dns01Nameservers {
		if strings.HasPrefix(ns, "https://") {
			continue
		}
		if _, _, err := net.SplitHostPort(ns); err != nil {
			problems = append(problems, fmt.Sprintf("--dns01-recursive-nameservers: %q must be <ip address>:<port> or https://<DoH server>", ns))
		}
	}
	if f.crMinBackoff < 0 || f.crMaxBackoff < 0 || (f.crMinBackoff > 0 && f.crMaxBackoff > 0 && f.crMaxBackoff < f.crMinBackoff) {
		problems = append(problems, "--certificate-request-{minimum,maximum}-backoff-duration: must not be negative, and the maximum not below the minimum")
	}
	if float32(f.burst) < f.qps {
		problems = append(problems, "--kube-api-burst must be at least --kube-api-qps")
	}
	if f.workers < 1 {
		problems = append(problems, "--concurrent-workers must be at least 1")
	}
	known := sets.New(defaultControllers...)
	for _, name := range f.controllers {
		if name != "*" && !known.Has(strings.TrimPrefix(name, "-")) {
			problems = append(problems, fmt.Sprintf("--controllers: %q is not a controller of this build (%s)", name, strings.Join(defaultControllers, ", ")))
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// runController starts cert-manager's controllers through its controller
// context factory and registry; leader election is always off (one process
// per test world).
func runController(args []string) error {
	var f flags
	fs := pflag.NewFlagSet("controller", pflag.ContinueOnError)
	addControllerFlags(fs, &f)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if err := f.validate(); err != nil {
		return err
	}
	logf.InitLogs()
	if err := logf.ValidateAndApply(f.logging); err != nil {
		return fmt.Errorf("logging flags: %w", err)
	}
	if err := utilfeature.DefaultMutableFeatureGate.SetFromMap(f.featureGates); err != nil {
		return fmt.Errorf("--feature-gates: %w", err)
	}
	opts, err := f.contextOptions()
	if err != nil {
		return err
	}

	var ready atomic.Bool
	var readiness net.Listener
	if f.readinessAddress != "" {
		if readiness, err = listenLoopback(f.readinessAddress); err != nil {
			return fmt.Errorf("--readiness-address: %w", err)
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	log := logf.Log.WithName("certsmith-controller")
	ctx = logf.NewContext(ctx, log)
	if readiness != nil {
		go serveReadiness(ctx, readiness, &ready)
	}

	factory, err := controllerpkg.NewContextFactory(ctx, opts)
	if err != nil {
		return fmt.Errorf("connecting to the API server: %w", err)
	}
	base, err := factory.Build()
	if err != nil {
		return err
	}
	// Secrets of ClusterIssuers live in the cluster resource namespace; a
	// fresh test cluster does not have it (the Helm chart would create it).
	if f.namespace == "" && f.clusterResourceNamespace != "" {
		if err := ensureNamespace(ctx, base, f.clusterResourceNamespace); err != nil {
			return err
		}
	}

	enabled := sets.List(f.enabledControllers())
	known := controllerpkg.Known()
	// Construct every controller before any informer starts: constructing one
	// registers the informers it needs with the shared factories.
	loops := make(map[string]controllerpkg.Interface, len(enabled))
	for _, name := range enabled {
		construct, ok := known[name]
		if !ok {
			return fmt.Errorf("controller %q is not registered in this build", name)
		}
		loop, err := construct(factory)
		if err != nil {
			return fmt.Errorf("constructing controller %q: %w", name, err)
		}
		loops[name] = loop
	}

	var wg sync.WaitGroup
	failed := make(chan error, len(loops))
	for _, name := range enabled {
		wg.Go(func() {
			if err := loops[name].Run(f.workers, ctx); err != nil {
				failed <- fmt.Errorf("controller %q: %w", name, err)
			}
		})
	}

	base.KubeSharedInformerFactory.Start(ctx.Done())
	base.SharedInformerFactory.Start(ctx.Done())
	base.HTTP01ResourceMetadataInformersFactory.Start(ctx.Done())
	if base.GatewaySolverEnabled {
		base.GWShared.Start(ctx.Done())
	}
	synced := allSynced(base.KubeSharedInformerFactory.WaitForCacheSync(ctx.Done())) &&
		allSynced(base.SharedInformerFactory.WaitForCacheSync(ctx.Done())) &&
		allSynced(base.HTTP01ResourceMetadataInformersFactory.WaitForCacheSync(ctx.Done()))
	if synced && ctx.Err() == nil {
		ready.Store(true)
		log.Info("controllers running", "controllers", enabled, "clusterResourceNamespace", f.clusterResourceNamespace,
			"dns01RecursiveNameservers", f.dns01Nameservers, "dns01RecursiveNameserversOnly", f.dns01NameserversOnly,
			"dns01CheckRetryPeriod", f.dns01CheckRetryPeriod.String(),
			"certificateRequestBackoff", f.crMinBackoff.String()+".."+f.crMaxBackoff.String())
	}

	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-failed:
		stop()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		log.Info("controllers did not stop within 5 s; exiting anyway")
	}
	logf.FlushLogs()
	return runErr
}

// contextOptions fills cert-manager's controller context options, field by
// field as upstream's controller maps its configuration onto them.
func (f *flags) contextOptions() (controllerpkg.ContextOptions, error) {
	var problems []string
	quantity := func(flag, v string) resource.Quantity {
		q, err := resource.ParseQuantity(v)
		if err != nil {
			problems = append(problems, fmt.Sprintf("--%s %q: %v", flag, v, err))
		}
		return q
	}
	opts := controllerpkg.ContextOptions{
		Kubeconfig:         f.kubeconfig,
		KubernetesAPIQPS:   f.qps,
		KubernetesAPIBurst: f.burst,
		Namespace:          f.namespace,
		IssuerOptions: controllerpkg.IssuerOptions{
			ClusterResourceNamespace:        f.clusterResourceNamespace,
			ClusterIssuerAmbientCredentials: f.clusterIssuerAmbient,
			IssuerAmbientCredentials:        f.issuerAmbient,
		},
		ACMEOptions: controllerpkg.ACMEOptions{
			HTTP01SolverImage:                 f.solverImage,
			HTTP01SolverResourceRequestCPU:    quantity("acme-http01-solver-resource-request-cpu", f.solverRequestCPU),
			HTTP01SolverResourceRequestMemory: quantity("acme-http01-solver-resource-request-memory", f.solverReqMem),
			HTTP01SolverResourceLimitsCPU:     quantity("acme-http01-solver-resource-limits-cpu", f.solverLimitCPU),
			HTTP01SolverResourceLimitsMemory:  quantity("acme-http01-solver-resource-limits-memory", f.solverLimMem),
			ACMEHTTP01SolverRunAsNonRoot:      true,
			HTTP01SolverNameservers:           f.solverNameservers,
			// "Recursive nameservers only" means: never ask the authoritative servers.
			DNS01CheckAuthoritative: !f.dns01NameserversOnly,
			DNS01Nameservers:        f.dns01Nameservers,
			DNS01CheckRetryPeriod:   f.dns01CheckRetryPeriod,
		},
		IngressShimOptions: controllerpkg.IngressShimOptions{
			DefaultIssuerKind:                 f.defaultIssuerKind,
			DefaultIssuerGroup:                f.defaultIssuerGroup,
			DefaultAutoCertificateAnnotations: f.autoCertificateAnnotations,
			GatewayAPIExtraProtocols:          sets.New[string](),
		},
		CertificateOptions: controllerpkg.CertificateOptions{
			EnableOwnerRef:                           f.ownerRef,
			CopiedAnnotationPrefixes:                 f.copiedAnnotationPrefixes,
			CertificateRequestMinimumBackoffDuration: f.crMinBackoff,
			CertificateRequestMaximumBackoffDuration: f.crMaxBackoff,
		},
		SchedulerOptions: controllerpkg.SchedulerOptions{MaxConcurrentChallenges: f.maxChallenges},
	}
	if len(problems) > 0 {
		return opts, errors.New(strings.Join(problems, "; "))
	}
	return opts, nil
}

// enabledControllers reads --controllers with upstream's rules: "*" is the
// default set, "name" adds one, "-name" removes one (after everything else),
// and cluster-scoped controllers go when a single namespace is watched.
func (f *flags) enabledControllers() sets.Set[string] {
	enabled := sets.New[string]()
	var disabled []string
	for _, name := range f.controllers {
		switch {
		case name == "*":
			enabled.Insert(defaultControllers...)
		case strings.HasPrefix(name, "-"):
			disabled = append(disabled, strings.TrimPrefix(name, "-"))
		default:
			enabled.Insert(name)
		}
	}
	if len(enabled) == 0 && len(disabled) > 0 {
		enabled.Insert(defaultControllers...)
	}
	if f.namespace != "" {
		enabled.Delete(clusterScopedControllers...)
	}
	return enabled.Delete(disabled...)
}

func ensureNamespace(ctx context.Context, c *controllerpkg.Context, name string) error {
	_, err := c.Client.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("creating the cluster resource namespace %q: %w", name, err)
	}
	return nil
}

func allSynced[K comparable](m map[K]bool) bool {
	for _, ok := range m {
		if !ok {
			return false
		}
	}
	return true
}

// listenLoopback refuses anything but a loopback address: the test world never listens elsewhere.
func listenLoopback(address string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("%q is not a loopback IP address", host)
	}
	return net.Listen("tcp", address)
}

func serveReadiness(ctx context.Context, l net.Listener, ready *atomic.Bool) {
	mux := http.NewServeMux()
	mux.HandleFunc("/livez", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) {
		if !ready.Load() {
			http.Error(w, "informer caches not synced yet\n", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	server := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		_ = server.Close()
	}()
	_ = server.Serve(l)
}
