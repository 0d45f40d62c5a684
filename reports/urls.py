app_name = "reports"

# The reports part of the registry comes with its own issue; nothing is routed yet.
urlpatterns: list = []
