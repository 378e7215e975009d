// Package tempdir gives tests a temporary folder that is removed when the
// test ends, like testing.T.TempDir, also under Wine.
//
// Wine 8 (Debian 12's) does not implement the delete call os.RemoveAll uses
// on Windows (NtSetInformationFile with FileDispositionInformationEx), so
// t.TempDir's clean-up fails there with "Invalid function" and fails the
// test. os.Remove uses DeleteFile and RemoveDirectory, which Wine has. On
// Windows, New therefore removes the folder entry by entry with os.Remove;
// a failure still fails the test. Elsewhere it is t.TempDir.
package tempdir
