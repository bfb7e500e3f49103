# Generate mock data with intentional quality issues
data = {
    "id": np.arange(1, 20001),
    "name": [f"Name_{i}" for i in np.random.randint(1, 1000, 20000)],
    "age": np.random.randint(18, 80, 20000),
    "salary": np.random.choice([50000, 60000, 70000, None], 20000),
    "profile": [complex_json_structure() for _ in range(20000)],
    "department": np.random.choice(["HR", "IT", "Finance", None], 20000),
}
