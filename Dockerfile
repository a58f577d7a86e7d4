# 政务办公 — the one image for web (gunicorn), worker and beat (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    STATIC_MANIFEST=1 \
    MEDIA_ROOT=/data/media \
    PDF_CACHE_DIR=/data/pdf-cache \
    XDG_CACHE_HOME=/tmp/.cache

# CJK fonts for the official PDFs (GB/T 9704 fallbacks when OFFICIAL_FONTS_DIR is empty),
# libharfbuzz-subset0 (without it WeasyPrint subsets CJK fonts about 30× slower) and Pango,
# which WeasyPrint loads at run time. fc-cache builds the system font cache once, here, so that no
# process scans the CJK fonts at start-up.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fontconfig fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming \
        libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 \
    && fc-cache -f \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system office \
    && useradd --system --gid office --home-dir /app --no-create-home --shell /usr/sbin/nologin office

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Static files are collected once, hashed and compressed (whitenoise); the throwaway key only
# lets the settings load for this step. The named volumes take the owner of these directories.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --noinput \
    && mkdir -p var /data/media /data/pdf-cache \
    && chown -R office:office var /data

USER office
EXPOSE 8000
CMD ["gunicorn", "office.wsgi:application", "--bind=0.0.0.0:8000", "--workers=3", \
     "--timeout=120", "--access-logfile=-"]
