# TFLint for the synthesized stacks (.ci/scan). The AWS ruleset is built
# from source into the plugin folder, so it has no source or version here.
plugin "terraform" {
  enabled = true
  preset  = "recommended"
}

plugin "aws" {
  enabled = true
}
