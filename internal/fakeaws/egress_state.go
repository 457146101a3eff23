package fakeaws

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// vpcEndpoints answers DescribeVpcEndpoints (EC2 XML): region's endpoints
// listed in VpcEndpoints, each tagged as vpcEndpointName says and
// available, filtered by tag:Name (a trailing * matches any suffix) and
// vpc-endpoint-state.
func (d *Deployment) vpcEndpoints(r *Request) *Response {
	var b strings.Builder
	for i, svc := range d.VpcEndpoints[r.Region] {
		name := d.vpcEndpointName(r.Region, svc)
		if !filterMatches(r, "tag:Name", name) || !filterMatches(r, "vpc-endpoint-state", "available") {
			continue
		}
		typ := "Interface"
		if svc == "s3" || svc == "dynamodb" {
			typ = "Gateway"
		}
		fmt.Fprintf(&b, "<item><vpcEndpointId>vpce-%017d</vpcEndpointId><vpcEndpointType>%s</vpcEndpointType><vpcId>vpc-0123456789abcdef0</vpcId><serviceName>com.amazonaws.%s.%s</serviceName><state>available</state><tagSet><item><key>Name</key><value>%s</value></item></tagSet></item>",
			i, typ, r.Region, svc, name)
	}
	return EC2Result(r.Action, "<vpcEndpointSet>"+b.String()+"</vpcEndpointSet>")
}

// ecr answers DescribeImages (JSON 1.1) from Images: an image named by tag
// or digest that region's registry holds, or ImageNotFoundException /
// RepositoryNotFoundException as ECR answers.
func (d *Deployment) ecr(r *Request) *Response {
	if r.Action != "DescribeImages" {
		return nil
	}
	var in struct {
		RegistryID     string `json:"registryId"`
		RepositoryName string `json:"repositoryName"`
		ImageIDs       []struct {
			ImageTag    string `json:"imageTag"`
			ImageDigest string `json:"imageDigest"`
		} `json:"imageIds"`
	}
	if err := json.Unmarshal(r.Body, &in); err != nil {
		return JSONError(http.StatusBadRequest, "InvalidParameterException", err.Error())
	}
	// DescribeImages reads the caller's registry unless registryId names
	// another (ECR API Reference, DescribeImages, registryId).
	registry := in.RegistryID
	if registry == "" {
		registry = AccountID
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	var held []string // REPOSITORY:TAG and REPOSITORY@DIGEST in registry
	for _, img := range d.Images[r.Region] {
		if account, ref, ok := strings.Cut(img, "/"); ok && len(account) == 12 && strings.Trim(account, "0123456789") == "" {
			if account == registry {
				held = append(held, ref)
			}
		} else if registry == AccountID {
			held = append(held, img)
		}
	}
	repo := false
	for _, img := range held {
		if strings.HasPrefix(img, in.RepositoryName+":") || strings.HasPrefix(img, in.RepositoryName+"@") {
			repo = true
		}
	}
	if !repo {
		return JSONError(http.StatusBadRequest, "RepositoryNotFoundException", fmt.Sprintf("The repository with name '%s' does not exist in the registry with id '%s'", in.RepositoryName, registry))
	}
	var details []any
	for _, id := range in.ImageIDs {
		ref := in.RepositoryName + ":" + id.ImageTag
		if id.ImageDigest != "" {
			ref = in.RepositoryName + "@" + id.ImageDigest
		}
		if !slices.Contains(held, ref) {
			return JSONError(http.StatusBadRequest, "ImageNotFoundException", fmt.Sprintf("The image with imageId {imageDigest:'%s', imageTag:'%s'} does not exist within the repository with name '%s' in the registry with id '%s'", id.ImageDigest, id.ImageTag, in.RepositoryName, registry))
		}
		details = append(details, map[string]any{"registryId": registry, "repositoryName": in.RepositoryName, "imageTags": []string{id.ImageTag}, "imageDigest": "sha256:" + strings.Repeat("0", 64)})
	}
	b, _ := json.Marshal(map[string]any{"imageDetails": details})
	return JSONResult(string(b))
}
