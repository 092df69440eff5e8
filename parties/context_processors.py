from parties.permissions import is_secretariat, user_party


def delegation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "user_is_secretariat": is_secretariat(user),
        "user_party": user_party(user),
    }
