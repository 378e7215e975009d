package ui

import (
	"bytes"
	"context"
	"image"
	_ "image/png"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"signet/demo"
	"signet/session"
)

// maxLogoPixels bounds the pictures the screens draw their logos from: the
// largest logo is 72 points, so 256 pixels are enough up to a 3.5× display.
// Fyne decodes a picture again at each refresh and scales it on the CPU,
// so a bigger one only costs the first frame time.
const maxLogoPixels = 256

// logoSizes are the pixel sizes of the raster pictures drawn from resources
// anywhere in o.
func logoSizes(t *testing.T, o fyne.CanvasObject) []image.Point {
	t.Helper()
	var sizes []image.Point
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch o := o.(type) {
		case *fyne.Container:
			for _, c := range o.Objects {
				walk(c)
			}
		case *canvas.Image:
			if o.Resource == nil || strings.HasSuffix(o.Resource.Name(), ".svg") { // theme icons: drawn at their size
				return
			}
			cfg, _, err := image.DecodeConfig(bytes.NewReader(o.Resource.Content()))
			if err != nil {
				t.Fatalf("picture %q: %v", o.Resource.Name(), err)
			}
			sizes = append(sizes, image.Pt(cfg.Width, cfg.Height))
		case fyne.Widget:
			for _, c := range test.TempWidgetRenderer(t, o).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return sizes
}

func checkLogos(t *testing.T, screen string, o fyne.CanvasObject) {
	t.Helper()
	sizes := logoSizes(t, o)
	if len(sizes) == 0 {
		t.Fatalf("%s: no logo found", screen)
	}
	for _, s := range sizes {
		if s.X > maxLogoPixels || s.Y > maxLogoPixels {
			t.Errorf("%s: a logo is drawn from a %d×%d picture, want at most %d pixels a side", screen, s.X, s.Y, maxLogoPixels)
		}
	}
}

func TestLogos_TheFirstScreensDrawThemFromASmallPicture(t *testing.T) {
	signedOut := newHarness(t, newFakeSession(session.Snapshot{State: session.SignedOut}), Options{})
	if !signedOut.onSignIn() {
		t.Fatal("not on the sign-in screen")
	}
	checkLogos(t, "sign-in", signedOut.ui.signIn.content)

	s := newRealSession(t, demo.Config{})
	if err := s.SignIn(context.Background(), demo.DemoUsername, demo.DemoPassword); err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	restored := newStartedHarness(t, s, waitLimit)
	if !restored.onList() {
		t.Fatal("not on the list")
	}
	checkLogos(t, "list", restored.ui.list.content)
}
