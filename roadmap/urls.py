app_name = "roadmap"

# The roadmap part of the registry comes with its own issue; nothing is routed yet.
urlpatterns: list = []
