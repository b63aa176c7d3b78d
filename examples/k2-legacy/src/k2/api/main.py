"""FastAPI application: `uvicorn k2.api.main:app`."""

from fastapi import FastAPI

from k2 import __version__

app = FastAPI(title="K2 query API", version=__version__)


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok", "version": __version__}
