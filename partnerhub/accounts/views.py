from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from . import services
from .forms import SignupForm
from .models import Membership


def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            user = services.user_signup(username=c["username"], email=c["email"], password=c["password1"],
                                        first_name=c["first_name"], last_name=c["last_name"])  # fmt: skip
        except ValidationError as error:
            for key, msgs in error.message_dict.items():
                for message in msgs:
                    form.add_error(key if key in form.fields else None, message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! Register your organisation or ask to join one."))
            return redirect("accounts:profile")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
def profile(request):
    memberships = Membership.objects.filter(user=request.user).select_related("organisation")
    token = Token.objects.filter(user=request.user).first()
    return render(request, "accounts/profile.html", {"memberships": memberships, "token": token})


@login_required
@require_POST
def token_regenerate(request):
    Token.objects.filter(user=request.user).delete()
    Token.objects.create(user=request.user)
    messages.success(request, _("A new API token was created. The old one no longer works."))
    return redirect("accounts:profile")
