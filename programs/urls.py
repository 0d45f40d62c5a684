app_name = "programs"

# The programs part of the registry comes with its own issue; nothing is routed yet.
urlpatterns: list = []
