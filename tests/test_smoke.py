def test_healthz_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_world_builds(world):
    assert world.outsider.institution != world.institution
