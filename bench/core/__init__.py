"""What every row shares: statistics, the report, the machine, servers, load generation, sagebox itself."""
