package main

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

func metaGVK(gvk schema.GroupVersionKind) metav1.GroupVersionKind {
	return metav1.GroupVersionKind{Group: gvk.Group, Version: gvk.Version, Kind: gvk.Kind}
}

func metaGVR(gvk schema.GroupVersionKind, resource string) metav1.GroupVersionResource {
	return metav1.GroupVersionResource{Group: gvk.Group, Version: gvk.Version, Resource: resource}
}
