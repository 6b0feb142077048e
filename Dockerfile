# The application image: web (gunicorn), worker and beat run from it with different commands.
FROM python:3.11-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1000 app
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir . \
 && DEBUG=1 python manage.py collectstatic --noinput --verbosity 0 \
 && mkdir -p /data/private && chown -R app /data
USER app
ENV DEBUG=0 PRIVATE_MEDIA_ROOT=/data/private MEDIA_ROOT=/data/media
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]
