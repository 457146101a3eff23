// Package config is the pilotlight app's configuration: a typed struct with
// built-in defaults, optionally overridden by a YAML (or JSON) file named by the
// PILOTLIGHT_CONFIG environment variable, and validated as a whole before any
// construct is built.
//
// Only the app (main.go and stacks/) reads this package; the constructs library
// takes plain props and knows nothing of the file.
package config

import (
	"fmt"
	"os"
	"strings"
)

// EnvVar names the environment variable that points at the config file.
const EnvVar = "PILOTLIGHT_CONFIG"

// Config is everything a user can set. Keys in the file are the yaml tags
// (camelCase); a key the struct does not have is an error, never ignored.
type Config struct {
	// Name is the system's name; with Environment it prefixes every resource name.
	Name string `yaml:"name"`
	// Environment is the deployment stage, such as dev or prod.
	Environment string `yaml:"environment"`
	// PrimaryRegion runs the system in normal operation and owns the writable data.
	PrimaryRegion string `yaml:"primaryRegion"`
	// FailoverRegions hold the pilot-light copies: one or two regions (the
	// ElastiCache Global Datastore limit is two secondaries).
	FailoverRegions []string `yaml:"failoverRegions"`
	// ActiveRegion is where the service runs. Default: PrimaryRegion. Setting it
	// to a failover region is the region switch.
	ActiveRegion string `yaml:"activeRegion"`

	Service Service `yaml:"service"`
	Network Network `yaml:"network"`
	Edge    Edge    `yaml:"edge"`
	Backend Backend `yaml:"backend"`

	// LogRetentionDays applies to every log group the app creates.
	LogRetentionDays int `yaml:"logRetentionDays"`
	// Tags are added to every taggable resource, besides the app's own tags.
	Tags map[string]string `yaml:"tags"`
}

// Service sizes the containerised workload that runs in the active region.
type Service struct {
	// Image is the container image. "{region}" is replaced by each region's
	// name, so each region can pull from its own (replicated) ECR registry.
	Image           string `yaml:"image"`
	ContainerPort   int    `yaml:"containerPort"`
	Cpu             int    `yaml:"cpu"`
	Memory          int    `yaml:"memory"`
	DesiredCount    int    `yaml:"desiredCount"`
	HealthCheckPath string `yaml:"healthCheckPath"`
}

// Network shapes each region's VPC.
type Network struct {
	// VpcCidrs maps a region to its VPC CIDR. Regions left out get
	// 10.(10+i).0.0/16, i being the region's position (primary first).
	VpcCidrs map[string]string `yaml:"vpcCidrs"`
	// AzCount is how many availability zones each VPC spans (2 or 3).
	AzCount int `yaml:"azCount"`
	// StandbyNatGateways keeps NAT gateways in standby regions too: a faster
	// switch (no NAT to create) at the cost of NAT hours while idle.
	StandbyNatGateways bool `yaml:"standbyNatGateways"`
}

// Edge configures the CloudFront distribution in front of the regions.
type Edge struct {
	PriceClass string `yaml:"priceClass"`
	// ApiPathPattern routes writes (all HTTP methods) straight to the active
	// region: CloudFront origin groups only serve GET, HEAD and OPTIONS.
	ApiPathPattern      string `yaml:"apiPathPattern"`
	FailoverStatusCodes []int  `yaml:"failoverStatusCodes"`
	// CertificateArn is an ACM certificate in us-east-1 for Aliases; without it
	// the distribution uses its *.cloudfront.net name and certificate.
	CertificateArn string   `yaml:"certificateArn"`
	Aliases        []string `yaml:"aliases"`
}

// Backend selects where every stack keeps its Terraform state.
type Backend struct {
	// Type is "local" (default, works offline) or "s3".
	Type string `yaml:"type"`
	// Bucket, Region, KeyPrefix, DynamodbTable, UseLockfile and KmsKeyId apply
	// to the s3 type. Region must be outside the app's regions, so that losing
	// any one of them leaves every stack's state readable.
	Bucket        string `yaml:"bucket"`
	Region        string `yaml:"region"`
	KeyPrefix     string `yaml:"keyPrefix"`
	DynamodbTable string `yaml:"dynamodbTable"`
	UseLockfile   *bool  `yaml:"useLockfile"`
	KmsKeyId      string `yaml:"kmsKeyId"`
}

// Default returns the built-in configuration, complete and valid: the app
// synthesizes with it and nothing else set.
func Default() Config {
	cfg := defaults()
	cfg.complete()
	return cfg
}

// defaults is what a config file is read over; settings derived from others
// (activeRegion from primaryRegion) are filled in after, by complete.
func defaults() Config {
	return Config{
		Name:            "pilotlight",
		Environment:     "dev",
		PrimaryRegion:   "us-east-1",
		FailoverRegions: []string{"us-west-2"},
		Service: Service{
			Image:           "public.ecr.aws/nginx/nginx:stable",
			ContainerPort:   80,
			Cpu:             256,
			Memory:          512,
			DesiredCount:    2,
			HealthCheckPath: "/",
		},
		Network: Network{AzCount: 2},
		Edge: Edge{
			PriceClass:          "PriceClass_100",
			ApiPathPattern:      "/api/*",
			FailoverStatusCodes: []int{500, 502, 503, 504},
		},
		Backend:          Backend{Type: BackendLocal},
		LogRetentionDays: 90,
	}
}

// Backend types.
const (
	BackendLocal = "local"
	BackendS3    = "s3"
)

// FromEnv loads the file named by PILOTLIGHT_CONFIG over the defaults, or
// returns the defaults when the variable is unset or empty. The result is
// validated; a non-nil error is a *Problems listing everything wrong.
func FromEnv() (Config, error) {
	path := os.Getenv(EnvVar)
	if path == "" {
		cfg := Default()
		return cfg, cfg.Validate()
	}
	return Load(path)
}

// Load reads the YAML or JSON file at path over the defaults and validates the
// result.
func Load(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, &Problems{Source: path, List: []Problem{{Key: EnvVar, Message: fmt.Sprintf("cannot read the config file: %v; point %s at a readable YAML or JSON file, or unset it to use the defaults", err, EnvVar)}}}
	}
	return Parse(path, data)
}

// Parse reads config text (YAML or JSON) over the defaults and validates the
// result. source names the text in error messages.
func Parse(source string, data []byte) (Config, error) {
	cfg := defaults()
	if problems := decode(data, &cfg); len(problems) > 0 {
		return Config{}, &Problems{Source: source, List: problems}
	}
	cfg.complete()
	if err := cfg.Validate(); err != nil {
		err.(*Problems).Source = source
		return Config{}, err
	}
	return cfg, nil
}

// complete fills the defaults that depend on other settings. It is the one
// place where derived defaults are applied.
func (c *Config) complete() {
	if c.ActiveRegion == "" {
		c.ActiveRegion = c.PrimaryRegion
	}
	if c.Backend.Type == BackendS3 {
		if c.Backend.KeyPrefix == "" {
			c.Backend.KeyPrefix = c.Name + "/" + c.Environment
		}
		if c.Backend.UseLockfile == nil {
			lock := c.Backend.DynamodbTable == ""
			c.Backend.UseLockfile = &lock
		}
	}
}

// Regions lists the primary region first, then the failover regions in order.
func (c Config) Regions() []string {
	return append([]string{c.PrimaryRegion}, c.FailoverRegions...)
}

// StandbyRegion is the region CloudFront falls back to when the active region
// fails: the primary when a failover region is active, else the first
// failover region.
func (c Config) StandbyRegion() string {
	if c.ActiveRegion != c.PrimaryRegion {
		return c.PrimaryRegion
	}
	return c.FailoverRegions[0]
}

// VpcCidr is the region's VPC CIDR: the configured one or the derived default.
func (c Config) VpcCidr(region string) string {
	if cidr, ok := c.Network.VpcCidrs[region]; ok {
		return cidr
	}
	for i, r := range c.Regions() {
		if r == region {
			return fmt.Sprintf("10.%d.0.0/16", 10+i)
		}
	}
	return ""
}

// ImageIn is the service image as pulled in region, with {region} filled in.
func (c Config) ImageIn(region string) string {
	return strings.ReplaceAll(c.Service.Image, "{region}", region)
}
