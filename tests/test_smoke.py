def test_login_page_renders(client):
    response = client.get("/auth/login")
    assert response.status_code == 200
    assert b"Sign in" in response.data


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_learner_can_sign_in(client, make_user, auth):
    user = make_user()
    auth.login(user)
    page = client.get("/")
    assert page.status_code == 200
    assert user.name.encode() in page.data
