"""Attune's one settings module, driven by environment variables (see .env.example).

Defaults are the safe, production ones.  The demo and the tests loosen only what a local run
over plain HTTP needs, through the same variables, so nothing exists only in production.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet

from attune.config.env import (
    envbool,
    envint,
    envlist,
    envsecret,
    envsecret_given,
    envsecret_optional,
    envstr,
    random_secret_key,
)

PACKAGE_DIR = Path(__file__).resolve().parents[1]
BASE_DIR = PACKAGE_DIR.parents[1]
VAR_DIR = Path(envstr("ATTUNE_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("ATTUNE_DEBUG", False)
SECRET_KEY = envsecret("ATTUNE_SECRET_KEY", var_dir=VAR_DIR, generate=random_secret_key)
# Keys for clients' free-text fields, newest first; separate from SECRET_KEY (docs/security.md).
FIELD_ENCRYPTION_KEYS = envsecret(
    "ATTUNE_FIELD_KEYS", var_dir=VAR_DIR, generate=lambda: Fernet.generate_key().decode()
).split(",")
# Encrypts backup archives; kept apart from the field keys and the database (docs/operations.md).
ATTUNE_BACKUP_KEY = envsecret_optional(
    "ATTUNE_BACKUP_KEY", var_dir=VAR_DIR, generate=lambda: Fernet.generate_key().decode()
)
# Signs the trail checkpoints the operator keeps elsewhere; never stored in the database.
ATTUNE_TRAIL_CHECKPOINT_KEY = envsecret_optional(
    "ATTUNE_TRAIL_CHECKPOINT_KEY", var_dir=VAR_DIR, generate=random_secret_key
)
ALLOWED_HOSTS = envlist("ATTUNE_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = envlist("ATTUNE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "attune.access",
    "attune.clients",
    "attune.relationships",
    "attune.agency",
    "attune.supervision",
    "attune.measures",
    "attune.care",
    "attune.language",
    "attune.community",
    "attune.organisation",
    "attune.equity",
    "attune.roster",
    "attune.demo",
]

MIDDLEWARE = [
    # First, so that a language a client page turns on never outlives its request.
    "attune.clients.language.RequestLanguageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "attune.access.middleware.RequestIdMiddleware",
    "attune.access.middleware.BodySizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "attune.access.middleware.ClientPageCsrfMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "attune.access.middleware.SessionLimitsMiddleware",
    "attune.access.middleware.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "attune.access.middleware.PrivatePageHeadersMiddleware",
]

# The deploy check looks for Django's CSRF middleware by name; Attune's is a subclass of it
# (attune.access.middleware.ClientPageCsrfMiddleware), so the protection is all there.
SILENCED_SYSTEM_CHECKS = ["security.W003"]

ROOT_URLCONF = "attune.config.urls"
WSGI_APPLICATION = "attune.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "attune.clients.language.client_page_context",
            ],
        },
    }
]

# SQLite under var/ by default; PostgreSQL (or any database URL) through DATABASE_URL.
_database_url = envstr("DATABASE_URL", "")
if _database_url:
    DATABASES = {
        "default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "attune.sqlite3"),
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                # IMMEDIATE makes a write transaction take the lock at its start, so two
                # workers never both read the trail's head and then fail to upgrade.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A PostgreSQL streaming replica for the leaders' dashboards and reports (attune/replica.py);
# reads go back to the primary when it lags more than ATTUNE_REPLICA_MAX_LAG_SECONDS.
_replica_url = envstr("ATTUNE_REPLICA_DATABASE_URL", "")
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(
        _replica_url, conn_max_age=60, conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["attune.replica.ReplicaRouter"]
ATTUNE_REPLICA_MAX_LAG_SECONDS = envint("ATTUNE_REPLICA_MAX_LAG_SECONDS", 30)

AUTH_USER_MODEL = "access.StaffUser"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # "aaaaaaaaaaaa" is in no list of common passwords: refuse repetition as such.
    {"NAME": "attune.access.passwords.RepeatedCharacterValidator"},
]
LOGIN_URL = "access:login"
LOGIN_REDIRECT_URL = "access:home"

# The agency as clients know it: its name and how to reach it, on every client page and in
# every message to a client. Left empty, clients read "Your care team" in their language.
ATTUNE_AGENCY_NAME = envstr("ATTUNE_AGENCY_NAME", "")
ATTUNE_AGENCY_CONTACT = envstr("ATTUNE_AGENCY_CONTACT", "")
# Where a client in crisis can turn (a crisis line, the agency's on-call number), shown on every
# client page after the sentence telling them to call their local emergency number.
ATTUNE_CRISIS_CONTACT = envstr("ATTUNE_CRISIS_CONTACT", "")

# Second factor (TOTP): required for every staff member unless turned off for a local demo.
ATTUNE_REQUIRE_MFA = envbool("ATTUNE_REQUIRE_MFA", True)
OTP_TOTP_ISSUER = ATTUNE_AGENCY_NAME or "Attune"

# Sessions: idle logoff and an absolute cap, both enforced by SessionLimitsMiddleware.
ATTUNE_IDLE_LOGOFF_MINUTES = envint("ATTUNE_IDLE_LOGOFF_MINUTES", 15)
ATTUNE_SESSION_MAX_HOURS = envint("ATTUNE_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = ATTUNE_SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "attune.access.views.csrf_failure"

# Client links: lifetime, the short session a link is exchanged for, and how many opens an IP
# address may try per minute before it is slowed down.
ATTUNE_LINK_DAYS = envint("ATTUNE_LINK_DAYS", 7)
ATTUNE_CLIENT_SESSION_MINUTES = envint("ATTUNE_CLIENT_SESSION_MINUTES", 30)
ATTUNE_LINK_OPENS_PER_MINUTE = envint("ATTUNE_LINK_OPENS_PER_MINUTE", 20)
# Ask "sex assigned at birth" (the second step of the two-step question) only where the
# agency needs it, for example for a clinical or legal reason.
ATTUNE_ASK_SEX_AT_BIRTH = envbool("ATTUNE_ASK_SEX_AT_BIRTH", False)
# The agency's own self-assessment items (YAML); empty means the bundled default set.
ATTUNE_ASSESSMENT_ITEMS = envstr("ATTUNE_ASSESSMENT_ITEMS", "")
# The data is the synthetic demo agency's (`attune demo` sets it): figures say so.
ATTUNE_DEMO = envbool("ATTUNE_DEMO", False)
ATTUNE_BREAK_GLASS_MINUTES = envint("ATTUNE_BREAK_GLASS_MINUTES", 60)
ATTUNE_MAX_BODY_BYTES = envint("ATTUNE_MAX_BODY_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = ATTUNE_MAX_BODY_BYTES
# The most rows one roster or schedule file may hold (attune import; docs/integration.md).
ATTUNE_IMPORT_MAX_ROWS = envint("ATTUNE_IMPORT_MAX_ROWS", 5000)

# Lockout: tiers by username and address together, so nobody elsewhere can lock a colleague out,
# and every lock ends by itself (attune.access.lockout.cooloff).
AXES_FAILURE_LIMIT = envint("ATTUNE_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = "attune.access.lockout.cooloff"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "attune.access.lockout.locked_out_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# The client's address: the connection's own, or behind ATTUNE_PROXY_COUNT proxies (one when only
# ATTUNE_BEHIND_PROXY is set) the right hop of X-Forwarded-For.  One function serves the lockout,
# the trail and the link limits (attune.access.client_address).
ATTUNE_BEHIND_PROXY = envbool("ATTUNE_BEHIND_PROXY", False)
ATTUNE_PROXY_COUNT = envint("ATTUNE_PROXY_COUNT", 1 if ATTUNE_BEHIND_PROXY else 0)
AXES_CLIENT_IP_CALLABLE = "attune.access.client_address.client_ip"

# HTTPS: on by default; the local demo turns it off because it serves plain HTTP on 127.0.0.1.
ATTUNE_HTTPS = envbool("ATTUNE_HTTPS", True)
SESSION_COOKIE_SECURE = ATTUNE_HTTPS
CSRF_COOKIE_SECURE = ATTUNE_HTTPS
SECURE_SSL_REDIRECT = ATTUNE_HTTPS
SECURE_HSTS_SECONDS = 31536000 if ATTUNE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = ATTUNE_HTTPS
SECURE_HSTS_PRELOAD = ATTUNE_HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if ATTUNE_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "en"
# Languages of the client-facing pages, each named in itself for the client's first screen.
# Staff pages are in English for now.  Adding a language: docs/translations.md.
CLIENT_LANGUAGES = [("en", "English"), ("es", "Español"), ("ar", "العربية")]
LANGUAGES = CLIENT_LANGUAGES
LANGUAGES_BIDI = ["ar"]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = envstr("ATTUNE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Served by WhiteNoise: straight from the apps in the demo and tests, or collected for production
# (ATTUNE_COLLECTED_STATIC=true after ``attune manage collectstatic``).
_collected_static = envbool("ATTUNE_COLLECTED_STATIC", False)
STATIC_ROOT = VAR_DIR / "static" if _collected_static else None
# Uploaded files, if any are ever kept (today none are); `attune backup` includes this folder.
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if _collected_static
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not _collected_static

# Check-ins and signals (docs/rupture-signals.md).  Rule thresholds override the documented
# defaults key by key, e.g. {"low_total_threshold": 60}; bad values stop start-up (measures.E001).
ATTUNE_SIGNAL_RULES: dict = {}
# What a therapist reads above a safety signal: the agency's own protocol.
ATTUNE_SAFETY_PROTOCOL = envstr("ATTUNE_SAFETY_PROTOCOL", "")
ATTUNE_SMS_BACKEND = envstr("ATTUNE_SMS_BACKEND", "attune.measures.sms.ConsoleSmsBackend")
# Twilio (ATTUNE_SMS_BACKEND=attune.measures.sms.TwilioSmsBackend): the account, its auth token
# (which also checks the signature of Twilio's callbacks), the sending number or messaging
# service, and the API's address (empty: Twilio's own; tests point it at a local server).
ATTUNE_TWILIO_ACCOUNT_SID = envstr("ATTUNE_TWILIO_ACCOUNT_SID", "")
ATTUNE_TWILIO_AUTH_TOKEN = envsecret_given("ATTUNE_TWILIO_AUTH_TOKEN")
ATTUNE_TWILIO_FROM = envstr("ATTUNE_TWILIO_FROM", "")
ATTUNE_TWILIO_MESSAGING_SERVICE_SID = envstr("ATTUNE_TWILIO_MESSAGING_SERVICE_SID", "")
ATTUNE_TWILIO_API_BASE_URL = envstr("ATTUNE_TWILIO_API_BASE_URL", "")
ATTUNE_SMS_TIMEOUT_SECONDS = envint("ATTUNE_SMS_TIMEOUT_SECONDS", 10)
# A text the provider could not take for a passing reason (timeout, 429, 5xx) is tried again by
# the task worker after ATTUNE_SMS_RETRY_SECONDS, doubling each time, at most this many times.
ATTUNE_SMS_MAX_ATTEMPTS = envint("ATTUNE_SMS_MAX_ATTEMPTS", 5)
ATTUNE_SMS_RETRY_SECONDS = envint("ATTUNE_SMS_RETRY_SECONDS", 60)
# No texts between these hours in ATTUNE_TIME_ZONE: one due then waits for the end ("" = none).
ATTUNE_SMS_QUIET_HOURS = envstr("ATTUNE_SMS_QUIET_HOURS", "21:00-08:00")
# Keys of the phone numbers' blind index (clients.phone_index), newest first; unset: derived
# from ATTUNE_FIELD_KEYS.  After adding a key, run `attune manage phone_index_rebuild`.
ATTUNE_PHONE_INDEX_KEYS = [
    key
    for key in envsecret_optional(
        "ATTUNE_PHONE_INDEX_KEYS", var_dir=VAR_DIR, generate=random_secret_key
    ).split(",")
    if key.strip()
]
# The country whose national formats phone numbers are read in when they carry no "+".
ATTUNE_PHONE_REGION = envstr("ATTUNE_PHONE_REGION", "US")
ATTUNE_CHECKIN_REMINDER_HOURS = envint("ATTUNE_CHECKIN_REMINDER_HOURS", 48)
# A check-in is about one session: its link lasts days, not the week of other links.
ATTUNE_CHECKIN_DAYS = envint("ATTUNE_CHECKIN_DAYS", 4)
ATTUNE_BASE_URL = envstr("ATTUNE_BASE_URL", "")

# Background tasks (django-tasks): a check-in's one reminder and its expiry wait in a table of
# the same database until `attune manage db_worker` (or `attune serve --with-worker`) runs them.
# Only ids are queued, never a link's token or anything a client wrote (docs/architecture.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = envstr("ATTUNE_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = envstr("ATTUNE_FROM_EMAIL", "attune@localhost")
# The SMTP server, reached with STARTTLS unless told otherwise (ATTUNE_EMAIL_SSL: TLS from the
# first byte, usually port 465).  Messages go out with the agency's name as the sender's name.
EMAIL_HOST = envstr("ATTUNE_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("ATTUNE_EMAIL_PORT", 587)
EMAIL_HOST_USER = envstr("ATTUNE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = envsecret_given("ATTUNE_EMAIL_PASSWORD")
EMAIL_USE_SSL = envbool("ATTUNE_EMAIL_SSL", False)
EMAIL_USE_TLS = envbool("ATTUNE_EMAIL_STARTTLS", not EMAIL_USE_SSL)
EMAIL_TIMEOUT = envint("ATTUNE_EMAIL_TIMEOUT_SECONDS", 20)
# A mailto: address for List-Unsubscribe on messages to clients (the agency reads it and changes
# the client's consent); empty: no such header.
ATTUNE_EMAIL_UNSUBSCRIBE = envstr("ATTUNE_EMAIL_UNSUBSCRIBE", "")
# Where bounces go: each check-in email leaves with its own envelope sender under this address
# (bounces+<delivery>-<signature>@domain); `attune email bounces` reads what comes back there.
# Empty: the envelope sender is ATTUNE_FROM_EMAIL and bounces are not read.
ATTUNE_EMAIL_BOUNCE_ADDRESS = envstr("ATTUNE_EMAIL_BOUNCE_ADDRESS", "")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# One handler, behind a filter that takes link tokens, email addresses and phone numbers out of
# every line (attune.config.log_redaction).  Django's own loggers write through it too, rather
# than through the handlers Django adds by default: "Not Found: <path>" would name a link.
ATTUNE_LOG_LEVEL = envstr("ATTUNE_LOG_LEVEL", "WARNING").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "attune.config.log_redaction.RedactSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": ATTUNE_LOG_LEVEL},
    "loggers": {
        name: {"handlers": [], "level": ATTUNE_LOG_LEVEL, "propagate": True}
        for name in ("django", "django.server")
    },
}

# Used by the session limits; shown here so a reader finds every knob in one file.
ATTUNE_IDLE_LOGOFF = timedelta(minutes=ATTUNE_IDLE_LOGOFF_MINUTES)
