"""The reference server's Asio-shaped endpoints against the vendor's document
(resources/asio/asio-openapi.yaml): each request below is first checked valid by the
document, then sent to the real server on 127.0.0.1, whose answer must be valid by the document
too. Covered: token, companies, sites, contacts (the phone numbers with countryCode and
nationalNumber, the emails with emailAddress, the site under `company.site`)."""

from __future__ import annotations

from typing import Any

import httpx

from app.asio.contacts import contact_request
from tests.asio.vendor import request_problems, response_problems
from tests.server.live import LiveServer


def _exchange(client: httpx.Client, method: str, path: str,
              json: Any = None) -> httpx.Response:
    request = client.build_request(method, path, json=json)
    assert request_problems(request) == [], f"our request {method} {path} breaks the document"
    response = client.send(request)
    assert response.status_code < 300, response.text
    assert response_problems(request, response) == [], (
        f"the server's answer to {method} {path} breaks the document: {response.text[:300]}")
    return response


def test_companies_sites_and_contacts_have_the_vendors_shapes(server: LiveServer) -> None:
    with server.client() as client:
        company = _exchange(client, "POST", "/api/platform/v1/company/companies",
                            {"name": "Contoso Dental"}).json()
        site = _exchange(client, "POST",
                         f"/api/platform/v1/company/companies/{company['id']}/sites",
                         {"name": "Main Office", "timeZone": "(UTC) Coordinated Universal Time"}
                         ).json()
        _exchange(client, "GET", "/api/platform/v1/company/companies")
        _exchange(client, "GET", f"/api/platform/v1/company/companies/{company['id']}")
        _exchange(client, "GET", f"/api/platform/v1/company/companies/{company['id']}/sites")
        body = contact_request(
            {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com",
             "mobile_country_code": "GB", "mobile_phone": "07400123456",
             "office_country_code": "US", "office_phone": "2133734253",
             "office_extension": "12"},
            "p-1", "ws-1", company["id"], site["id"])
        created = _exchange(client, "POST", "/api/platform/v1/contact/contacts", body).json()
    assert created["emails"] == [{"emailAddress": "ada@example.com"}]
    assert created["phoneNumbers"] == [
        {"designation": "Mobile", "countryCode": "GB", "nationalNumber": "7400123456"},
        {"designation": "Office", "countryCode": "US", "nationalNumber": "2133734253"}]
    with server.client() as client:
        profile = client.get("/api/preflight/v1/client-profiles").json()[0]["payload"]
    assert profile["site_id"] == site["id"]
    assert (profile["mobile_country_code"], profile["mobile_phone"]) == ("GB", "7400123456")
    assert profile["office_extension"] == "12"


def test_a_contact_without_a_site_is_refused_4xx(server: LiveServer) -> None:
    with server.client() as client:
        answer = client.post("/api/platform/v1/contact/contacts",
                             json={"firstName": "Ada", "lastName": "Lovelace"})
    assert answer.status_code == 422
    assert "company" in answer.text
