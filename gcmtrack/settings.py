"""The one Django configuration of every gcmtrack process (the command line, the worker and
the portal alike), made in code: no settings file to find. The store and the portal both take
it from here; it imports neither (the portal is named by dotted strings only).

Nothing secret has a default: the key comes from $GCMTRACK_SECRET_KEY or is generated and
kept with the store. Cookies are HttpOnly and SameSite=Lax, Secure behind TLS
($GCMTRACK_HTTPS=1, which also turns on HSTS); every response carries a strict CSP,
nosniff and frame-ancestors 'none'. E-mail uses Django's settings from the environment
($GCMTRACK_EMAIL_BACKEND, …), printed to the console by default.
"""

from __future__ import annotations

import os
from pathlib import Path

from gcmtrack.common.languages import LANGS
from gcmtrack.common.spreadsheet import MAX_FILE_BYTES
from gcmtrack.errors import GcmtrackError

STORE_APP = "gcmtrack.store"

PORTAL = Path(__file__).resolve().parent / "portal"
IDLE_TIMEOUT_S = 30 * 60  # a session unused this long ends (sliding)
ABSOLUTE_TIMEOUT_S = 12 * 3600  # and no session lives longer than this after sign-in
PASSWORD_MIN = 12

# The one password policy (store/accounts.check_password applies it on every path that sets a
# password: invitation, change, reset, the command line). Django ships es/fr messages for these.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("email",)}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": PASSWORD_MIN}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


def _env_int(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise GcmtrackError(f"{name} must be a whole number, not {text!r}") from None
    if value < 0:
        raise GcmtrackError(f"{name} must not be negative")
    return value


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def portal_settings() -> dict:
    """What the portal needs on top of the store's settings (pages, sessions, security headers,
    e-mail). The portal is named by strings only: nothing here imports it."""
    https = os.environ.get("GCMTRACK_HTTPS") == "1"
    settings = {
        "ROOT_URLCONF": "gcmtrack.portal.urls",
        "ALLOWED_HOSTS": _env_list("GCMTRACK_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]"),
        "MIDDLEWARE": [
            "gcmtrack.portal.middleware.forwarded_proto",  # before SecurityMiddleware reads it
            "django.middleware.security.SecurityMiddleware",
            "whitenoise.middleware.WhiteNoiseMiddleware",
            "gcmtrack.portal.middleware.security_headers",
            "gcmtrack.portal.uploads.bound_uploads",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "gcmtrack.portal.language.negotiate",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "gcmtrack.portal.middleware.authenticate",
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
        ],
        "TEMPLATES": [{
            "BACKEND": "django.template.backends.jinja2.Jinja2",
            "DIRS": [str(PORTAL / "templates")],
            "APP_DIRS": False,
            "OPTIONS": {"environment": "gcmtrack.portal.pages.environment"},
        }],
        "STATIC_URL": "/static/",
        "STATICFILES_DIRS": [str(PORTAL / "static")],
        "WHITENOISE_USE_FINDERS": True,
        "LANGUAGE_CODE": "en",
        "LANGUAGES": [(lang, lang) for lang in LANGS],
        "USE_I18N": True,
        "SESSION_ENGINE": "django.contrib.sessions.backends.db",
        "SESSION_COOKIE_NAME": "gcmtrack_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "SESSION_COOKIE_AGE": IDLE_TIMEOUT_S,
        "SESSION_SAVE_EVERY_REQUEST": True,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
        "CSRF_COOKIE_NAME": "gcmtrack_csrf",
        "CSRF_COOKIE_HTTPONLY": False,  # htmx reads it to send X-CSRFToken
        "CSRF_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": https,
        "CSRF_FAILURE_VIEW": "gcmtrack.portal.pages.csrf_failure",
        "CSRF_TRUSTED_ORIGINS": _env_list("GCMTRACK_TRUSTED_ORIGINS", ""),
        "LANGUAGE_COOKIE_NAME": "gcmtrack_lang",
        "LANGUAGE_COOKIE_HTTPONLY": True,
        "LANGUAGE_COOKIE_SAMESITE": "Lax",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
        "SECURE_HSTS_SECONDS": 31_536_000 if https else 0,
        # X-Forwarded-Proto is believed only from a trusted proxy (portal/middleware.py: forwarded_proto)
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https") if https else None,
        # under HTTPS, plain HTTP is redirected to https:// (the proxy must say so, see above)
        "SECURE_SSL_REDIRECT": https,
        "X_FRAME_OPTIONS": "DENY",
        "DATA_UPLOAD_MAX_MEMORY_SIZE": 256 * 1024,  # form fields; the file itself is bounded below
        "FILE_UPLOAD_MAX_MEMORY_SIZE": MAX_FILE_BYTES + 1,
        "DATA_UPLOAD_MAX_NUMBER_FIELDS": 100,
        "DEBUG": False,
        "PASSWORD_RESET_TIMEOUT": 3600,
        "OTP_TOTP_ISSUER": "gcmtrack",  # a reset link works once, within an hour
        # proxies whose X-Forwarded-For is believed (CIDRs), read right to left (portal/middleware.py)
        "GCMTRACK_TRUSTED_PROXIES": _env_list("GCMTRACK_TRUSTED_PROXIES", ""),
        # rejected uploads kept for their annotated copy (store/checks.py): how long, and how many
        # bytes per account (the oldest go first)
        "GCMTRACK_CHECK_RETENTION_HOURS": _env_int("GCMTRACK_CHECK_RETENTION_HOURS", 24),
        "GCMTRACK_CHECK_QUOTA_MB": _env_int("GCMTRACK_CHECK_QUOTA_MB", 50),
        "EMAIL_BACKEND": os.environ.get("GCMTRACK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
        "EMAIL_HOST": os.environ.get("GCMTRACK_EMAIL_HOST", "localhost"),
        "EMAIL_PORT": int(os.environ.get("GCMTRACK_EMAIL_PORT", "25")),
        "EMAIL_HOST_USER": os.environ.get("GCMTRACK_EMAIL_HOST_USER", ""),
        "EMAIL_HOST_PASSWORD": os.environ.get("GCMTRACK_EMAIL_HOST_PASSWORD", ""),
        "EMAIL_USE_TLS": os.environ.get("GCMTRACK_EMAIL_USE_TLS") == "1",
        "DEFAULT_FROM_EMAIL": os.environ.get("GCMTRACK_EMAIL_FROM", "gcmtrack@localhost"),
    }
    settings["SECURE_PROXY_SSL_HEADER"] = settings["SECURE_PROXY_SSL_HEADER"] or None
    return settings


def django_settings() -> dict:
    """The settings every gcmtrack process uses: the command line and the portal alike (one
    configuration, so that any process can serve pages or run commands on any store)."""
    return {
        **portal_settings(),
        "INSTALLED_APPS": [
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            STORE_APP,
            # multi-factor sign-in (store/mfa.py): TOTP and recovery-code devices
            "django_otp",
            "django_otp.plugins.otp_totp",
            "django_otp.plugins.otp_static",
            "gcmtrack.portal",
        ],
        "DATABASES": {},
        "USE_TZ": True,
        "TIME_ZONE": "UTC",
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        "AUTH_USER_MODEL": "gcmtrack.Account",
        "AUTH_PASSWORD_VALIDATORS": AUTH_PASSWORD_VALIDATORS,
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.Argon2PasswordHasher"],
        "MIGRATION_MODULES": {},
        "LOGGING_CONFIG": None,
    }
