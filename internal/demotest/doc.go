// Package demotest hands tests demo-backend data files whose accounts are
// already hashed. Opening a fresh demo costs ~0.6 s of PBKDF2 under -race;
// a copy of a seeded file costs nothing, so suites that open a demo per test
// seed once in TestMain (Main) and copy per test (DataFile).
package demotest
