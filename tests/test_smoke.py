from conftest import TOKEN


def test_health_and_version_need_no_auth(anon):
    assert anon.get("/health").json() == {"status": "UP"}
    v = anon.get("/api/version").json()
    assert v["edition"] == "Community" and "label-studio-enterprise-backend" not in v


def test_whoami_with_token(client):
    me = client.get("/api/current-user/whoami").json()
    assert me["email"] == "admin@example.com"
    assert client.get("/api/current-user/token").json()["token"] == TOKEN
