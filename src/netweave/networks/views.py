from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from netweave.core.access import network_for


def network_detail(request: HttpRequest, network: str) -> HttpResponse:
    net, access = network_for(request, network)
    return render(request, "networks/network_detail.html", {"network": net, "access": access})


def role_list(request: HttpRequest, network: str) -> HttpResponse:
    net, access = network_for(request, network, edit=True)
    return render(request, "networks/role_list.html", {"network": net, "access": access})
