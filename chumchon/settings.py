"""Chumchon settings: one module, every value from a CHUMCHON_* environment variable.

Bad values fail loudly at start-up (ImproperlyConfigured) rather than at the first request.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BASE_DIR.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_database_url(url: str) -> dict[str, object]:
    """sqlite:///relative/or//absolute/path  |  postgres://user:pass@host:port/name?sslmode=..."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path[1:] if parsed.path.startswith("/") else parsed.path)
        if not path:
            raise ImproperlyConfigured("CHUMCHON_DATABASE_URL: sqlite URL needs a file path")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "chumchon",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(
        f"CHUMCHON_DATABASE_URL must start with sqlite:/// or postgres://, not {parsed.scheme!r}"
    )


def _secret_key(data_dir: Path) -> str:
    key = os.environ.get("CHUMCHON_SECRET_KEY")
    if key:
        return key
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


DATA_DIR = Path(env_str("CHUMCHON_DATA_DIR", str(Path.cwd() / "var"))).resolve()
DEBUG = env_bool("CHUMCHON_DEBUG", False)
SECRET_KEY = _secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("CHUMCHON_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CHUMCHON_CSRF_TRUSTED_ORIGINS", [])

DATABASES = {
    "default": parse_database_url(
        env_str("CHUMCHON_DATABASE_URL", f"sqlite:///{DATA_DIR / 'chumchon.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "chumchon.core",
    "chumchon.accounts",
    "chumchon.areas",
    "chumchon.people",
    "chumchon.visits",
    "chumchon.care",
    "chumchon.network",
    "chumchon.linkage",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "chumchon.linkage.middleware.ImportUploadLimitMiddleware",
    "chumchon.core.middleware.NoStoreForSignedInMiddleware",
]

ROOT_URLCONF = "chumchon.urls"
WSGI_APPLICATION = "chumchon.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "chumchon.care.context_processors.alert_badge",
            ],
            "builtins": ["chumchon.core.templatetags.thai"],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from finders; the folder must exist
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
# Photos of people and homes are PDPA data: kept outside MEDIA/STATIC and served only through a
# scoped view (visits.views.photos), never by URL alone.
PRIVATE_FILES_ROOT = DATA_DIR / "private"
PHOTO_MAX_BYTES = int(env_str("CHUMCHON_PHOTO_MAX_MB", "10")) * 1024 * 1024
PHOTO_MAX_SIDE = int(env_str("CHUMCHON_PHOTO_MAX_SIDE", "1600"))
DATA_UPLOAD_MAX_MEMORY_SIZE = PHOTO_MAX_BYTES + 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("CHUMCHON_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

# How long an API token stays valid, in days.
API_TOKEN_DAYS = int(env_str("CHUMCHON_API_TOKEN_DAYS", "30"))

# Days an organisation has to answer a referral before it is listed as overdue.
REFERRAL_ANSWER_DAYS = int(env_str("CHUMCHON_REFERRAL_ANSWER_DAYS", "7"))

# Background work (imports, linkage, alert delivery, escalation): django-tasks with its database
# backend, so no broker is needed. `chumchon worker` runs queued tasks and the periodic jobs
# (core.periodic); `chumchon serve` starts one beside the web server unless --no-worker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
WORKER_INTERVAL_SECONDS = float(env_str("CHUMCHON_WORKER_INTERVAL", "5"))

# Alert delivery channels. A channel with no setting is off; the in-app inbox is always on.
LINE_CHANNEL_TOKEN = env_str("CHUMCHON_LINE_CHANNEL_TOKEN", "")
LINE_API_BASE = env_str("CHUMCHON_LINE_API_BASE", "https://api.line.me").rstrip("/")
EMAIL_HOST = env_str("CHUMCHON_EMAIL_HOST", "")
EMAIL_PORT = int(env_str("CHUMCHON_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("CHUMCHON_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("CHUMCHON_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CHUMCHON_EMAIL_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("CHUMCHON_EMAIL_FROM", "chumchon@localhost")
OUTBOUND_HTTP_TIMEOUT = float(env_str("CHUMCHON_OUTBOUND_TIMEOUT", "10"))


def parse_ack_minutes(name: str, raw: str) -> dict[str, int]:
    """``urgent=30,high=240,normal=1440`` → minutes each severity allows before an alert escalates.
    Every severity must be given once, as a whole number of minutes above zero."""
    severities = ("urgent", "high", "normal")
    out: dict[str, int] = {}
    for item in raw.split(","):
        key, sep, value = item.partition("=")
        key = key.strip().lower()
        if not sep or key not in severities or key in out:
            raise ImproperlyConfigured(f"{name} must look like urgent=30,high=240,normal=1440, not {raw!r}")
        try:
            minutes = int(value.strip())
        except ValueError:
            raise ImproperlyConfigured(f"{name}: minutes for {key} must be a whole number, not {value!r}") from None
        if minutes <= 0:
            raise ImproperlyConfigured(f"{name}: minutes for {key} must be above zero, not {minutes}")
        out[key] = minutes
    missing = [key for key in severities if key not in out]
    if missing:
        raise ImproperlyConfigured(f"{name} gives no minutes for {', '.join(missing)}")
    return out


def env_positive_int(name: str, default: int) -> int:
    raw = env_str(name, str(default)).strip()
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value <= 0:
        raise ImproperlyConfigured(f"{name} must be above zero, not {value}")
    return value


# Minutes an alert of each severity may stay unacknowledged before it escalates one level up
# (tambon → district → province). Unconfirmed values: set them with the partners.
ALERT_ACK_MINUTES = parse_ack_minutes("CHUMCHON_ALERT_ACK_MINUTES",
                                      env_str("CHUMCHON_ALERT_ACK_MINUTES", "urgent=30,high=240,normal=1440"))
# A failed delivery (channel down, 429, 5xx) is retried after 30 s, then 60 s, 120 s, ... up to the
# maximum; it stays pending (never dropped) until the channel answers. A 429's Retry-After wins.
ALERT_RETRY_SECONDS = env_positive_int("CHUMCHON_ALERT_RETRY_SECONDS", 30)
ALERT_RETRY_MAX_SECONDS = env_positive_int("CHUMCHON_ALERT_RETRY_MAX_SECONDS", 3600)
# A delivery still not sent this many hours after it was planned is given up (failed, "gave up",
# shown on the alert page): the inbox and escalation still carry the alert.
ALERT_DELIVERY_GIVE_UP_HOURS = env_positive_int("CHUMCHON_ALERT_DELIVERY_GIVE_UP_HOURS", 72)
# Webhooks to the server's own network (loopback, private, link-local addresses) are refused unless
# this is true (an intranet receiver): any user may enter a webhook URL.
ALERT_WEBHOOK_PRIVATE_OK = env_bool("CHUMCHON_ALERT_WEBHOOK_PRIVATE_OK", False)
# The address of this server as users reach it (e.g. https://chumchon.example.go.th), for the
# link in LINE, e-mail and webhook messages; empty: messages carry the path only.
SITE_URL = env_str("CHUMCHON_SITE_URL", "").rstrip("/")

# Imports: the largest file accepted from the web (the command line has no limit).
IMPORT_MAX_MB = int(env_str("CHUMCHON_IMPORT_MAX_MB", "100"))
IMPORTS_ROOT = DATA_DIR / "imports"
# Uploaded lists and error reports carry full national IDs: the worker deletes them this many days
# after their import ended (or, never started, after its upload). The records stay.
IMPORT_KEEP_DAYS = env_positive_int("CHUMCHON_IMPORT_KEEP_DAYS", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CHUMCHON_LOG_LEVEL", "WARNING")},
}
