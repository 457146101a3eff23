package synthtest

import "testing"

func TestLiteralSecretsFindsLiterals(t *testing.T) {
	tpl := Template{"resource": map[string]any{
		"aws_rds_cluster": map[string]any{"c": map[string]any{"master_password": "hunter2"}},
		"aws_elasticache_replication_group": map[string]any{"r": map[string]any{
			"auth_token": "${data.x.y}", "nested": []any{map[string]any{"password": "${a.b} and more"}},
		}},
	}}
	got := LiteralSecrets(tpl)
	if len(got) != 2 {
		t.Errorf("want the literal password and the partial reference, got %v", got)
	}
}
