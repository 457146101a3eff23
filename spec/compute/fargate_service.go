// Package compute holds the ECS, Fargate and load balancer limits the web
// tier is checked against: task sizes, the tasks-per-service quota, image
// references, names and ports. It is the jsii-free half of
// constructs/compute (see package spec).
package compute

import (
	"fmt"

	"github.com/distribution/reference"
)

// fargateMemory lists, for each Fargate task CPU value (CPU units), the
// memory values (MiB) Fargate accepts with it (ECS API Reference,
// TaskDefinition, memory: 256 takes 512, 1024 or 2048; 512 takes 1024 to
// 4096 and 1024 takes 2048 to 8192, in 1 GB steps; 2048 takes 4 to 16 GB and
// 4096 8 to 30 GB, in 1 GB steps; 8192 takes 16 to 60 GB in 4 GB steps and
// 16384 32 to 120 GB in 8 GB steps, both on Linux platform 1.4.0 or later).
var fargateMemory = map[int][]int{
	256:   {512, 1024, 2048},
	512:   steps(1024, 4096, 1024),
	1024:  steps(2048, 8192, 1024),
	2048:  steps(4096, 16384, 1024),
	4096:  steps(8192, 30720, 1024),
	8192:  steps(16384, 61440, 4096),
	16384: steps(32768, 122880, 8192),
}

func steps(from, to, by int) []int {
	var out []int
	for v := from; v <= to; v += by {
		out = append(out, v)
	}
	return out
}

// ValidateFargateSize reports whether cpu (units) and memory (MiB) are a
// task size that Fargate runs: cpu 256 with memory 512, 1024 or 2048; 512
// with 1024 to 4096 and 1024 with 2048 to 8192, in steps of 1024; 2048 with
// 4096 to 16384 and 4096 with 8192 to 30720, in steps of 1024; 8192 with
// 16384 to 61440 in steps of 4096; 16384 with 32768 to 122880 in steps of
// 8192 (ECS API Reference, TaskDefinition, memory).
func ValidateFargateSize(cpu, memory int) error {
	mems, ok := fargateMemory[cpu]
	if !ok {
		return fmt.Errorf("cpu %d is not a Fargate task size; use 256, 512, 1024, 2048, 4096, 8192 or 16384", cpu)
	}
	for _, m := range mems {
		if m == memory {
			return nil
		}
	}
	return fmt.Errorf("memory %d does not go with cpu %d on Fargate; with cpu %d use %d to %d MiB (in steps of %d)", memory, cpu, cpu, mems[0], mems[len(mems)-1], stepOf(mems))
}

func stepOf(mems []int) int {
	if len(mems) < 2 {
		return 0
	}
	return mems[len(mems)-1] - mems[len(mems)-2]
}

// MaxDesiredCount is the most tasks one ECS service runs: the "Tasks per
// service" quota, 5,000 (AWS General Reference, "Amazon ECS endpoints and
// quotas", Service quotas).
const MaxDesiredCount = 5000

// ValidateImage reports whether ref is a container image reference: it is
// parsed with github.com/distribution/reference, the OCI distribution
// reference grammar as Docker and containerd read it (a bare name such as
// nginx is docker.io/library/nginx), which also bounds the name at 255
// characters. ECS pulls what the reference says; a string outside the
// grammar fails only when a task starts, which in a standby region is
// during a failover.
func ValidateImage(ref string) error {
	if _, err := reference.ParseNormalizedNamed(ref); err != nil {
		return fmt.Errorf("%q is not a container image reference (%v); write REGISTRY/REPOSITORY:TAG or REGISTRY/REPOSITORY@sha256:DIGEST, such as public.ecr.aws/nginx/nginx:1.27", ref, err)
	}
	return nil
}
