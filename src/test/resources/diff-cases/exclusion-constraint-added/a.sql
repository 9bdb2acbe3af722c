CREATE TABLE booking (room int, during tsrange);
