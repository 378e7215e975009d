//go:build windows

package keychain

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Windows ignores Unix file modes (os.Chmod only toggles read-only), so the
// plaintext file is made private with an access list instead: one entry,
// the current user, full control, nothing inherited from the folder. Then
// it is read back, so a file system that silently drops the list (FAT, a
// network share, an emulator) fails the write instead of leaving the
// secrets readable by others.

// restrictToOwner makes f readable and writable by the current user only.
func restrictToOwner(f *os.File) error {
	user, err := currentUser()
	if err != nil {
		return err
	}
	acl, err := windows.ACLFromEntries([]windows.EXPLICIT_ACCESS{{
		AccessPermissions: windows.GENERIC_ALL,
		AccessMode:        windows.SET_ACCESS,
		Inheritance:       windows.NO_INHERITANCE,
		Trustee: windows.TRUSTEE{
			TrusteeForm:  windows.TRUSTEE_IS_SID,
			TrusteeType:  windows.TRUSTEE_IS_USER,
			TrusteeValue: windows.TrusteeValueFromSID(user),
		},
	}}, nil)
	if err != nil {
		return fmt.Errorf("access list: %w", err)
	}
	// By name, not f's handle: os opens files without WRITE_DAC, which the
	// owner has implicitly when asking anew.
	err = windows.SetNamedSecurityInfo(f.Name(), windows.SE_FILE_OBJECT,
		windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION, nil, nil, acl, nil)
	if err != nil {
		return fmt.Errorf("set access list: %w", err)
	}
	return OwnerOnly(f.Name())
}

// OwnerOnly reports whether only the current user may open the file at
// path: nil, or an error naming who else may. Like OpenSSH for Windows's
// check on private keys, it accepts entries for the operating system itself
// (SYSTEM) and the Administrators group, which can take any file anyway.
func OwnerOnly(path string) error {
	user, err := currentUser()
	if err != nil {
		return err
	}
	trusted := []*windows.SID{user}
	for _, w := range []windows.WELL_KNOWN_SID_TYPE{windows.WinLocalSystemSid, windows.WinBuiltinAdministratorsSid} {
		sid, err := windows.CreateWellKnownSid(w)
		if err != nil {
			return fmt.Errorf("well-known account: %w", err)
		}
		trusted = append(trusted, sid)
	}
	sd, err := windows.GetNamedSecurityInfo(path, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		return fmt.Errorf("read access list: %w", err)
	}
	dacl, _, err := sd.DACL()
	if errors.Is(err, windows.ERROR_OBJECT_NOT_FOUND) || dacl == nil {
		return errors.New("the file has no access list: everyone may open it")
	}
	if err != nil {
		return fmt.Errorf("read access list: %w", err)
	}
	for i := range uint32(dacl.AceCount) {
		var ace *windows.ACCESS_ALLOWED_ACE
		if err := windows.GetAce(dacl, i, &ace); err != nil {
			return fmt.Errorf("read access list: %w", err)
		}
		if ace.Header.AceType != windows.ACCESS_ALLOWED_ACE_TYPE {
			continue // a deny entry takes access away; nothing to fear
		}
		sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart))
		if !slices.ContainsFunc(trusted, sid.Equals) {
			return fmt.Errorf("the file's access list lets %s open it", sid)
		}
	}
	return nil
}

func currentUser() (*windows.SID, error) {
	tu, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, fmt.Errorf("current user: %w", err)
	}
	return tu.User.Sid, nil
}
