//go:build !windows

package faultproxy

import "syscall"

// errConnRefused is what dialing a closed port fails with.
var errConnRefused error = syscall.ECONNREFUSED
