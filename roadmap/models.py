# Models of this part come with its issue (see README, «Состав»).
