"""The secret that signs access tokens: ``RWAKIT_JWT_SECRET``, or on a managed chain one
generated once under data_dir (like the wallet key), so restarts keep sessions valid."""

from rwakit.config import Settings, SettingsError, env_name, stored_secret_hex

JWT_SECRET_FILE = "jwt.secret"
MIN_SECRET_LENGTH = 32


def jwt_secret(settings: Settings) -> bytes:
    if settings.jwt_secret is not None:
        value = settings.jwt_secret.get_secret_value()
        if len(value) < MIN_SECRET_LENGTH:
            raise SettingsError(
                f"{env_name('jwt_secret')} must be at least {MIN_SECRET_LENGTH} characters"
            )
        return value.encode()
    if not settings.managed_chain:
        raise SettingsError(
            f"{env_name('jwt_secret')} is not set — an API on an external chain needs one: "
            "e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`"
        )
    return stored_secret_hex(settings.data_dir / JWT_SECRET_FILE).encode()
