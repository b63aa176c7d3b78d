"""The Dockerfile rewriter (rewriter.py): `pip install -r FILE` steps become uv's Docker
pattern, in the environment pip installed into; instructions.py reads the Dockerfile's
instructions, stages.py follows each build stage, shell.py reads a RUN's pip command."""

from uvmk.rewriters.readers.dockerfile.rewriter import (
    DOCKERFILE,
    Context,
    DockerfileRewrite,
    Step,
    rewrite_dockerfile,
)

__all__ = ["DOCKERFILE", "Context", "DockerfileRewrite", "Step", "rewrite_dockerfile"]
