"""Where a project's dependencies come from when it is not pip's: one folder per format."""
