"""The operations console is the system administrator's alone, and read-only."""

import pytest

from office import notifications


@pytest.mark.django_db
def test_sysadmin_watches_the_outbox_read_only(client, personas):
    user = personas["leader"]
    user.email = "li@zhuhai.example"
    user.save()
    notifications.notify([user], title="会议通知")
    client.force_login(personas["sysadmin"])
    page = client.get("/operations/office/delivery/")
    assert page.status_code == 200
    assert "li@zhuhai.example" in page.content.decode()
    assert client.get("/operations/office/delivery/add/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["secretary", "leader", "secadmin", "auditor"])
def test_nobody_else_enters_the_operations_console(client, personas, persona):
    client.force_login(personas[persona])
    response = client.get("/operations/office/delivery/")
    assert response.status_code == 302 and "/operations/login/" in response["Location"]
