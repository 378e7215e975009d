package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"signet/api"
)

const (
	// maxImageBytes caps an item's image: a thumbnail source, not a download.
	maxImageBytes = 8 << 20
	imageTimeout  = 20 * time.Second
)

// imageClient fetches images that are not on a bearer origin: no token, no
// session logic, and every hop must be an address Signet would accept
// (https, or plain http on loopback).
var imageClient = &http.Client{
	Timeout: imageTimeout,
	CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("session: too many redirects for an image")
		}
		return api.CheckBaseURL(req.URL.Scheme + "://" + req.URL.Host)
	},
}

// FetchImage reads the image at rawURL (an item's image field). The bearer
// goes with it only when the image is on one of the profile's bearer origins
// (design R12); anywhere else it is fetched as a stranger would.
func (c *Controller) FetchImage(ctx context.Context, rawURL string) ([]byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || u.User != nil {
		return nil, errors.New("session: not an image address")
	}
	if err := api.CheckBaseURL(u.Scheme + "://" + u.Host); err != nil {
		return nil, err
	}
	hc := imageClient
	if c.client.IsBearerOrigin(u) {
		hc = c.HTTPClient()
	}
	ctx, cancel := context.WithTimeout(ctx, imageTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "image/*")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("session: image answered %d", resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxImageBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxImageBytes {
		return nil, errors.New("session: image too large")
	}
	return b, nil
}
