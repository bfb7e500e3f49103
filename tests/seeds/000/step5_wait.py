# Your Task: Wait for the job to complete
job.wait()

# Check final status
job.refresh()
print(f"Final status: {job.processing_job_status}")
