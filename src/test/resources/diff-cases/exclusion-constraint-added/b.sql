CREATE TABLE booking (room int, during tsrange, CONSTRAINT ex_booking EXCLUDE USING gist (during WITH &&));
