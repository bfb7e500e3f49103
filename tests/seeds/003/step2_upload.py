s3.meta.client.upload_file('data/mock_data.csv', bucket, 'input/mock_data.csv')
