"""Media files: images, video, audio and QR codes, checked by their bytes and rendered for the pages."""
