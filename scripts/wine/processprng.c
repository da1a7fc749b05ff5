/*
 * FOR THE WINE SMOKE TEST ONLY: NEVER SHIP THIS DLL.
 *
 * Rust's standard library asks bcryptprimitives.dll for ProcessPrng when a
 * program starts (hash map keys). Real Windows 10 and 11 have it; Debian's
 * wine 8.0 does not, so piao.exe would not start under wine. scripts/windows.sh
 * builds this as bcryptprimitives.dll, puts it beside the exe in a scratch
 * folder for the test and tells wine to prefer it; the zip never contains it.
 * ProcessPrng is served by SystemFunction036 (RtlGenRandom), which wine has.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
