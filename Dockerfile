# zhijian service image: the same install as `make run`, serving the API on port 8000.
FROM python:3.11-slim

# torch is pinned to 2.13.0; point this at a CPU-only torch wheel index (or a local mirror)
# to avoid pulling the multi-GB CUDA build.
ARG PIP_EXTRA_INDEX_URL=""
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    PIP_EXTRA_INDEX_URL=${PIP_EXTRA_INDEX_URL}

RUN apt-get update \
    && apt-get install -y --no-install-recommends make \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY zhijian ./zhijian
COPY inspection ./inspection
COPY coaching ./coaching
COPY api ./api
COPY models ./models
COPY rules ./rules
COPY examples ./examples
COPY docs ./docs
RUN pip install --no-cache-dir -e . && useradd --create-home zhijian \
    && mkdir -p /data && chown zhijian /data
USER zhijian
ENV ZHIJIAN_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8000
CMD ["zhijian", "serve", "--host", "0.0.0.0", "--port", "8000"]
