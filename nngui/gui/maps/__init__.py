"""Pictures of the plane and the network: decision maps, the network drawing, loss surfaces and landscapes."""
