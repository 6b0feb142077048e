import pytest
from rest_framework import exceptions

from conventions.authentication import (
    HashedTokenAuthentication,
    api_token_create,
    api_token_revoke,
    hash_key,
)
from conventions.models import ApiToken

pytestmark = pytest.mark.django_db


def test_only_the_hash_of_a_new_key_is_stored(officer):
    token, key = api_token_create(user=officer, name="Tableau de bord", by=officer)

    stored = ApiToken.objects.get()
    assert (stored.key_hash, stored.prefix, stored.created_by) == (hash_key(key), key[:8], officer)
    assert key not in {stored.key_hash, stored.name}
    assert HashedTokenAuthentication().authenticate_credentials(key) == (officer, token)


def test_a_revoked_key_no_longer_signs_in(officer):
    token, key = api_token_create(user=officer, name="Tableau de bord", by=officer)

    api_token_revoke(token=token)

    with pytest.raises(exceptions.AuthenticationFailed, match="Jeton invalide ou révoqué."):
        HashedTokenAuthentication().authenticate_credentials(key)
    first_revocation = ApiToken.objects.get().revoked_at
    api_token_revoke(token=token)
    assert ApiToken.objects.get().revoked_at == first_revocation


def test_last_use_is_written_once_per_interval_not_per_request(officer, django_assert_num_queries):
    import datetime

    from django.utils import timezone

    _, key = api_token_create(user=officer, name="Tableau de bord", by=officer)
    auth = HashedTokenAuthentication()

    with django_assert_num_queries(2):  # the token, then its first use recorded
        auth.authenticate_credentials(key)
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    with django_assert_num_queries(1):  # within five minutes: read only
        auth.authenticate_credentials(key)
    assert ApiToken.objects.get().last_used_at == first

    ApiToken.objects.update(last_used_at=timezone.now() - datetime.timedelta(minutes=6))
    with django_assert_num_queries(2):
        auth.authenticate_credentials(key)
    assert ApiToken.objects.get().last_used_at > first
