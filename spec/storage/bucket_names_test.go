package storage_test

import (
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/spec/storage"
)

func TestValidateBucketName(t *testing.T) {
	if err := storage.ValidateBucketName("app-data-us-east-1-${TfToken[TOKEN.3]}"); err != nil {
		t.Errorf("a token stands for the account id: %v", err)
	}
	if err := storage.ValidateBucketName(strings.Repeat("a", 52) + "-${TfToken[TOKEN.3]}"); err == nil {
		t.Error("a name past 63 characters with the account id accepted")
	}
	for _, bad := range []string{"My-Bucket", "a.b.c", "xn--abc", "ab"} {
		if err := storage.ValidateBucketName(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
