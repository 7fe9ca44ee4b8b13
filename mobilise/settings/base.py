"""Settings shared by every environment, read from the environment (12-factor).

Secure by default: anything that loosens security is switched on explicitly in ``local.py``.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent  # the ``mobilise`` package
PROJECT_DIR = BASE_DIR.parent

env = environ.Env()
# A developer's .env is read when present; production sets real environment variables.
environ.Env.read_env(PROJECT_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "mobilise.core",
    "mobilise.places",
    "mobilise.accounts",
    "mobilise.missions",
    "mobilise.indicators",
    "mobilise.coalition",
    "mobilise.deliberation",
    "mobilise.budgeting",
    "mobilise.learning",
    "mobilise.assurance",
    "mobilise.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "django_tasks",
    "django_tasks_db",
    "csp",
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
    "allauth.account.middleware.AccountMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "mobilise.urls"
WSGI_APPLICATION = "mobilise.wsgi.application"
ASGI_APPLICATION = "mobilise.asgi.application"

_CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "django.template.context_processors.i18n",
    "csp.context_processors.nonce",
]

TEMPLATES = [
    {
        # Pages: Jinja2 with the GOV.UK Frontend macros (govuk-frontend-jinja).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "mobilise.templating.environment",
            "context_processors": [*_CONTEXT_PROCESSORS, "mobilise.core.context_processors.site"],
        },
    },
    {
        # Django's admin and e-mail bodies of third-party apps stay on the Django template language.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": _CONTEXT_PROCESSORS},
    },
]

# PostgreSQL in production (DATABASE_URL=postgres://…); the embedded SQLite file otherwise.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{PROJECT_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; the busy timeout queues writers instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail is the identity; addresses must be verified before signing in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_ADAPTER = "mobilise.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Sign-in rate limiting (allauth's own limiter, kept in the cache). Failed sign-ins: per IP, and
# per account *and* IP ("key" is both, see mobilise.accounts.adapter), so nobody can lock someone
# else out; a softer limit per account alone stops guessing from many addresses.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("LOGIN_FAILED_RATE_LIMIT", default="10/m/ip,5/5m/key"),
    "login_failed_account": env.str("LOGIN_FAILED_ACCOUNT_RATE_LIMIT", default="30/15m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    # Wrong voter codes in participatory budgeting (mobilise.budgeting.views.vote), as sign-in.
    "voter_code_failed": env.str("VOTER_CODE_RATE_LIMIT", default="10/m/ip,5/5m/user"),
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Mobilise <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# Background work: Django's tasks framework (django-tasks backport), database queue by default;
# `mobilise db_worker` runs the queue, so work moves to worker machines by running more of them.
TASKS = {
    "default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}
}

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=PROJECT_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=PROJECT_DIR / "media")
MEDIA_URL = "/media/"

# Security: on unless DEBUG (see local.py); HTTPS is terminated in front of the app in production.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A load balancer probes each web process directly, over HTTP and without the proxy's header.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading commits the whole domain (a council's gov.uk domain, say) to HTTPS for good: the operator opts in.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp 4): no inline script; the one GOV.UK "js-enabled" line carries a nonce.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SITE_NAME = env.str("SITE_NAME", default="Mobilise")
# GOV.UK wording for allauth's forms: optional name at sign-up, plain password hints, GOV.UK error messages.
ACCOUNT_FORMS = {
    "login": "mobilise.accounts.forms.LoginForm",
    "signup": "mobilise.accounts.forms.SignupForm",
    "add_email": "mobilise.accounts.forms.AddEmailForm",
    "change_password": "mobilise.accounts.forms.ChangePasswordForm",
    "set_password": "mobilise.accounts.forms.SetPasswordForm",
    "reset_password": "mobilise.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "mobilise.accounts.forms.ResetPasswordKeyForm",
    "reauthenticate": "mobilise.accounts.forms.ReauthenticateForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"{SITE_NAME}: "  # otherwise subjects start "[host:port] "
# Where the full shared data sets live when they are not the ones shipped in mobilise/data.
MOBILISE_DATA_DIR = env.path("MOBILISE_DATA_DIR", default=BASE_DIR / "data")

# "log": a template's undefined value renders as nothing and logs an error; "strict" raises (tests).
JINJA2_UNDEFINED = "log"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint's font subsetting logs every glyph table of every stocktake PDF at INFO.
    "loggers": {"fontTools": {"level": "WARNING"}},
}
