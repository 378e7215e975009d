/*
 * A stand-in for Windows' bcryptprimitives.dll, for running Go programs under
 * Wine 8 (Debian 12's), which lacks it. Go 1.22 and later read random bytes
 * through ProcessPrng from this DLL at start-up and die without it ("fatal
 * error: bcryptprimitives.dll not found"). This one exports ProcessPrng and
 * answers it from BCryptGenRandom, the system RNG that Wine does implement.
 *
 * Test machinery only: scripts/windows-wine.sh builds it from this source with
 * mingw-w64 and copies it into a throwaway Wine prefix. It is never shipped.
 */
#include <windows.h>
#include <bcrypt.h>

/* Same contract as the real one: fill buf with len random bytes, return TRUE. */
BOOL WINAPI ProcessPrng(PBYTE buf, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, buf, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
			return FALSE;
		buf += n;
		len -= n;
	}
	return TRUE;
}
