// Command certsmith-cert-manager runs cert-manager's own controllers and
// admission webhook (the module github.com/cert-manager/cert-manager, built
// from the Go module proxy) as plain processes against the test world's
// kube-apiserver, for Certsmith's cluster tests and `npm start`:
//
//	certsmith-cert-manager controller --kubeconfig FILE --readiness-address 127.0.0.1:PORT [cert-manager flags]
//	certsmith-cert-manager webhook --kubeconfig FILE --secure-port PORT --tls-cert-file F --tls-private-key-file K
//	certsmith-cert-manager version
//
// The nested modules that hold upstream's cmd/controller and cmd/webhook are
// not served by the module proxy, so the wiring (which controllers run, how
// informers are started, where the webhook listens) is written here; every
// controller, issuer, admission plugin and option type is cert-manager's own.
// The module path lies under github.com/cert-manager/cert-manager/ only so
// that Go lets it import cert-manager's internal/ packages (the controller
// configuration and its defaults, the webhook's admission chain).
//
// Built and cached by test/world/go-peers/build-cert-manager-controller.sh;
// started by test/world/cert-manager.ts.
package main

import (
	"fmt"
	"os"
	"runtime/debug"
)

const usage = `usage: certsmith-cert-manager <command> [flags]

commands:
  controller   cert-manager's controllers (certificates, issuers, ACME orders and challenges)
  webhook      cert-manager's admission webhook (/validate, /mutate) on a loopback TLS port
  version      the cert-manager module version this binary was built from

Run "certsmith-cert-manager <command> --help" for the flags of a command.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "controller":
		err = runController(os.Args[2:])
	case "webhook":
		err = runWebhook(os.Args[2:])
	case "version", "--version":
		fmt.Printf("certsmith-cert-manager: github.com/cert-manager/cert-manager %s\n", certManagerVersion())
		return
	case "help", "--help", "-h":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "certsmith-cert-manager: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "certsmith-cert-manager %s: error: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

// certManagerVersion is the version of the cert-manager module linked in (from the build info).
func certManagerVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "github.com/cert-manager/cert-manager" {
				return dep.Version
			}
		}
	}
	return "(unknown)"
}
