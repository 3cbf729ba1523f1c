print("moltscope")
