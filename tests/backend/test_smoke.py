from tests.backend.world import Api, build_world


def test_health_and_login(app, client):
    w = build_world(app)
    r = client.get("/api/v1/health")
    assert r.status_code == 200 and r.get_json()["status"] == "ok"
    lise = Api(client, "lise")
    changes, revoked = lise.pull_all()
    youth_ids = {c["id"] for c in changes if c["entity"] == "youth"}
    assert youth_ids == {w.youths["mads"], w.youths["sara"]}
