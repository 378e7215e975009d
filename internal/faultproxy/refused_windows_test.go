package faultproxy

import "golang.org/x/sys/windows"

// errConnRefused is what dialing a closed port fails with: Winsock's own
// code on Windows (syscall.ECONNREFUSED is a Unix number there).
var errConnRefused error = windows.WSAECONNREFUSED
