# syntax=docker/dockerfile:1
# SeeSay's container image: the API server with the bundled offline models (the `offline`
# extra) and the distributed-mode clients (PostgreSQL, Redis, S3). `make image` builds it as
# seesay:local (scripts/build-image.sh: podman or docker, and a Debian base made with
# mmdebstrap where no registry is reachable).
#   docker run -p 8000:8000 -v seesay-data:/data seesay:local        # the API key is logged once
#   docker run -v seesay-data:/data seesay:local keys create --plan free
# Every stage starts from the same base, so the virtual environment's interpreter link holds.
ARG BASE_IMAGE=python:3.12-slim-bookworm

# --- metadata: the two projects' dependency metadata alone -------------------------------
# Only [build-system], [project] and [tool.hatch*] of each pyproject.toml, next to empty
# stand-ins for the sources, README and licences. The deps stage copies this folder, and the
# engine keys that COPY by content: a change to the sources, the README or the tool settings
# (ruff, pytest, mypy) leaves it equal, so the dependency layer is reused.
FROM ${BASE_IMAGE} AS metadata
WORKDIR /m
COPY pyproject.toml full/pyproject.toml
COPY clients/python/pyproject.toml full/sdk.toml
COPY clients/python/src/seesay_sdk/_version.py clients/python/src/seesay_sdk/_version.py
RUN keep='/^\[/ { keep = ($0 ~ /^\[(build-system|project|project\..*|tool\.hatch\..*)\]$/) } keep' \
    && awk "$keep" full/pyproject.toml >pyproject.toml \
    && awk "$keep" full/sdk.toml >clients/python/pyproject.toml \
    && rm -r full \
    && mkdir -p src/seesay \
    && touch src/seesay/__init__.py README.md LICENSE THIRD_PARTY_NOTICES.md \
       clients/python/README.md clients/python/LICENSE clients/python/src/seesay_sdk/__init__.py

# --- runtime: what the image needs besides Python packages ---------------------------------
FROM ${BASE_IMAGE} AS runtime
# Apertium (a Debian package, as `make serve` installs it) translates English <-> Spanish
# offline; build with --build-arg APT_PACKAGES= to leave it out.
ARG APT_PACKAGES="apertium apertium-eng-spa"
RUN if [ -n "$APT_PACKAGES" ]; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $APT_PACKAGES \
      && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin; \
    fi
# A fixed numeric uid, so orchestrators can check runAsNonRoot and volumes can be chowned.
RUN groupadd --gid 10001 seesay \
    && useradd --uid 10001 --gid seesay --home-dir /home/seesay --create-home \
       --shell /usr/sbin/nologin seesay \
    && mkdir /data && chown seesay:seesay /data

# --- deps: every dependency in /opt/venv, without SeeSay itself -------------------------------
# The image is this stage plus SeeSay: its 2 GB are shared, never copied (copying them between
# stages would hash them again on every build).
FROM runtime AS deps
ARG EXTRAS=offline,distributed
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore
RUN python3 -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /build
COPY --from=metadata /m/ ./
# pip's cache is a build cache mount, never a layer. A TLS-inspecting proxy's CA, when the
# build machine's pip needs one, comes in as the build secret pip_cert (scripts/build-image.sh
# passes it); it never lands in a layer either. The stand-in packages are installed to pull in
# the dependencies, then removed; /opt/seesay (the app stage) goes on the path by a .pth file.
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=secret,id=pip_cert \
    if [ -s /run/secrets/pip_cert ]; then export PIP_CERT=/run/secrets/pip_cert; fi \
    && pip install ./clients/python ".[${EXTRAS}]" \
    && pip uninstall -y seesay seesay-sdk \
    && python -c "import site; open(site.getsitepackages()[0] + '/seesay.pth', 'w').write('/opt/seesay\n')" \
    && cd / && rm -rf /build

# --- app: SeeSay and its SDK from this checkout, in /opt/seesay -------------------------------
FROM deps AS app
WORKDIR /build
COPY pyproject.toml README.md LICENSE THIRD_PARTY_NOTICES.md ./
COPY clients/python/ clients/python/
COPY src/ src/
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=secret,id=pip_cert \
    if [ -s /run/secrets/pip_cert ]; then export PIP_CERT=/run/secrets/pip_cert; fi \
    && pip install --no-deps --target /opt/seesay ./clients/python . \
    && PATH=/opt/seesay/bin:$PATH seesay --help >/dev/null

# --- the image: the runtime, the dependencies, SeeSay; no build tools ---------------------
FROM deps
COPY --from=app /opt/seesay /opt/seesay
# Pulled models (`seesay models pull`) live in /data/models; compose.yaml gives that folder a
# volume of its own, shared by the API and worker containers, which takes this owner.
RUN mkdir /data/models && chown seesay:seesay /data/models
ENV PATH=/opt/seesay/bin:/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    SEESAY_DATA_DIR=/data \
    SEESAY_HOST=0.0.0.0 \
    SEESAY_PORT=8000
VOLUME ["/data"]
WORKDIR /data
USER 10001:10001
EXPOSE 8000
# Probes the server where it listens: SEESAY_HOST unless a wildcard, SEESAY_PORT.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request as r; h = os.environ.get('SEESAY_HOST', ''); h = '127.0.0.1' if h in ('', '0.0.0.0', '::') else h; h = f'[{h}]' if ':' in h else h; r.urlopen(f\"http://{h}:{os.environ.get('SEESAY_PORT', '8000')}/healthz\", timeout=4)"]
ENTRYPOINT ["seesay"]
CMD ["serve"]
LABEL org.opencontainers.image.title="SeeSay" \
      org.opencontainers.image.description="Sees an image and says what is in it; voice-AI APIs" \
      org.opencontainers.image.licenses="Apache-2.0"
