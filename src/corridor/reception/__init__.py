"""Reception: arrivals into shelter allocation and Sphere-standard needs."""
