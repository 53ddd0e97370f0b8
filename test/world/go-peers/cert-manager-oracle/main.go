// Command certsmith-oracle runs cert-manager's own admission validation
// (internal/apis/certmanager/validation and internal/apis/acme/validation of
// the module github.com/cert-manager/cert-manager) on many documents in one
// process, for Certsmith's differential test (test/oracle/).
//
// Input, on stdin: one JSON object per line, {"id": "...", "yaml": "..."}
// (one YAML document, read as kubectl reads it: sigs.k8s.io/yaml, YAML 1.1)
// or {"id": "...", "object": {...}} (the object as JSON). Output, on stdout: one JSON object per input line, in order:
//
//	{"id": "...", "handled": true, "errors": [{"field": "spec.x", "type": "FieldValueInvalid",
//	  "reason": "Invalid value", "detail": "...", "badValue": ...}], "warnings": ["..."]}
//
// "handled" is false for kinds cert-manager's webhook does not validate;
// "decodeError" is set when the webhook's decoder itself rejects the object
// (the admission request would be refused with that error).
//
// The object goes through the webhook's own path: decoded with a scheme that
// holds cert-manager's internal API types and their v1 conversions (as
// internal/webhook/webhook.go builds it), converted to the internal version
// (pkg/webhook/admission/custom_decoder.go), then passed to the validation
// function the webhook maps its resource to
// (internal/webhook/admission/resourcevalidation).
//
// The module path lies under github.com/cert-manager/cert-manager/ so that Go
// lets it import cert-manager's internal/ packages. It is built by
// test/world/go-peers/build-cert-manager-oracle.sh; nothing of cert-manager is
// kept in this repository.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	admissionv1 "k8s.io/api/admission/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/yaml"

	acmeinstall "github.com/cert-manager/cert-manager/internal/apis/acme/install"
	acmevalidation "github.com/cert-manager/cert-manager/internal/apis/acme/validation"
	cminstall "github.com/cert-manager/cert-manager/internal/apis/certmanager/install"
	cmvalidation "github.com/cert-manager/cert-manager/internal/apis/certmanager/validation"
	metainstall "github.com/cert-manager/cert-manager/internal/apis/meta/install"
)

type validateFunc func(a *admissionv1.AdmissionRequest, obj runtime.Object) (field.ErrorList, []string)

type target struct {
	resource string
	validate validateFunc
}

// The webhook's resource -> validation mapping, keyed by group/version and kind.
var targets = map[schema.GroupVersionKind]target{
	{Group: "cert-manager.io", Version: "v1", Kind: "Certificate"}:        {"certificates", cmvalidation.ValidateCertificate},
	{Group: "cert-manager.io", Version: "v1", Kind: "CertificateRequest"}: {"certificaterequests", cmvalidation.ValidateCertificateRequest},
	{Group: "cert-manager.io", Version: "v1", Kind: "Issuer"}:             {"issuers", cmvalidation.ValidateIssuer},
	{Group: "cert-manager.io", Version: "v1", Kind: "ClusterIssuer"}:      {"clusterissuers", cmvalidation.ValidateClusterIssuer},
	{Group: "acme.cert-manager.io", Version: "v1", Kind: "Order"}:         {"orders", acmevalidation.ValidateOrder},
	{Group: "acme.cert-manager.io", Version: "v1", Kind: "Challenge"}:     {"challenges", acmevalidation.ValidateChallenge},
}

type input struct {
	ID     string          `json:"id"`
	YAML   *string         `json:"yaml"`
	Object json.RawMessage `json:"object"`
}

type fieldError struct {
	Field    string `json:"field"`
	Type     string `json:"type"`
	Reason   string `json:"reason"`
	Detail   string `json:"detail"`
	BadValue any    `json:"badValue,omitempty"`
}

type output struct {
	ID          string       `json:"id"`
	Handled     bool         `json:"handled"`
	Errors      []fieldError `json:"errors"`
	Warnings    []string     `json:"warnings"`
	DecodeError string       `json:"decodeError,omitempty"`
	Panic       string       `json:"panic,omitempty"`
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "--version" {
		fmt.Println("certsmith-oracle: cert-manager webhook validation")
		return
	}
	scheme := runtime.NewScheme()
	cminstall.Install(scheme)
	acmeinstall.Install(scheme)
	metainstall.Install(scheme)
	codecs := serializer.NewCodecFactory(scheme)
	decoder := codecs.UniversalDeserializer()

	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 0, 1<<20), 64<<20)
	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)

	for in.Scan() {
		line := in.Bytes()
		if len(line) == 0 {
			continue
		}
		var req input
		if err := json.Unmarshal(line, &req); err != nil {
			fmt.Fprintf(os.Stderr, "certsmith-oracle: bad input line: %v\n", err)
			os.Exit(2)
		}
		res := check(req, decoder, scheme)
		if err := enc.Encode(res); err != nil {
			fmt.Fprintf(os.Stderr, "certsmith-oracle: cannot write: %v\n", err)
			os.Exit(2)
		}
		// One answer per line, at once: the caller may stream.
		if err := out.Flush(); err != nil {
			os.Exit(2)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintf(os.Stderr, "certsmith-oracle: reading stdin: %v\n", err)
		os.Exit(2)
	}
}

func check(req input, decoder runtime.Decoder, scheme *runtime.Scheme) (res output) {
	res = output{ID: req.ID, Errors: []fieldError{}, Warnings: []string{}}
	if req.YAML != nil {
		// As kubectl does before it sends a manifest.
		j, err := yaml.YAMLToJSON([]byte(*req.YAML))
		if err != nil {
			res.DecodeError = err.Error()
			return res
		}
		req.Object = j
	}
	var meta struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := json.Unmarshal(req.Object, &meta); err != nil {
		res.DecodeError = err.Error()
		return res
	}
	gv, err := schema.ParseGroupVersion(meta.APIVersion)
	if err != nil {
		return res
	}
	gvk := gv.WithKind(meta.Kind)
	t, ok := targets[gvk]
	if !ok {
		return res
	}
	res.Handled = true
	defer func() {
		if r := recover(); r != nil {
			res.Panic = fmt.Sprint(r)
		}
	}()
	// As pkg/webhook/admission/custom_decoder.go: decode by the request's kind,
	// then convert to the internal version.
	obj, _, err := decoder.Decode(req.Object, &gvk, nil)
	if err != nil {
		res.DecodeError = err.Error()
		return res
	}
	internal, err := scheme.UnsafeConvertToVersion(obj, runtime.InternalGroupVersioner)
	if err != nil {
		res.DecodeError = err.Error()
		return res
	}
	a := &admissionv1.AdmissionRequest{
		Operation: admissionv1.Create,
		Kind:      metaGVK(gvk),
		Resource:  metaGVR(gvk, t.resource),
	}
	errs, warnings := t.validate(a, internal)
	for _, e := range errs {
		fe := fieldError{Field: e.Field, Type: string(e.Type), Reason: e.Type.String(), Detail: e.Detail}
		if e.BadValue != nil {
			if b, err := json.Marshal(e.BadValue); err == nil && len(b) < 4096 {
				fe.BadValue = json.RawMessage(b)
			}
		}
		res.Errors = append(res.Errors, fe)
	}
	if warnings != nil {
		res.Warnings = warnings
	}
	return res
}
