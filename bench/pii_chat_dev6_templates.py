#!/usr/bin/env python3
"""Development chat set 6: personal names, written blind.

Written by a helper (a sub-session started by the lead engineer's session) who saw
neither the PII rules, their tests and docs, the detector's output, the held-out sets,
nor the template or name lists of the earlier development sets: only dev set 5's
docstring and its words/gen/fill/unambiguous/check/build/main machinery and PH/PARTICLES
constants, to copy the record format. Development data: rules may be changed against it.

Messages a US consumer app's customers type to a support chatbot or a human agent
(telecom, banking, delivery, retail, streaming, ride share, insurance, pharmacy,
utilities, travel, gig work, healthcare portals, schools, gyms, pet care), typed the
way people type: lower case, no punctuation, typos, abbreviations (u, ur, pls, bc, w/),
ALL CAPS, run-ons, several lines, quoted chat, forwarded email fragments, form lines.

Name templates, each filled 5 times (the primary kind decides the template group; a
template may plant further names of other kinds):
  first       45 templates  (first names alone, capitalised, lower case and ALL CAPS:
                             people the customer talks about (roommate, caseworker, dog
                             walker, son's coach, daughter's teacher, previous account
                             owner, ex, co-signer, tenant, nanny, landlord, caregiver...),
                             agents greeted, thanked and signed off to, after "w/", "@",
                             "cc", "per", "thx", "ty", lists ("me, X and Y"), possessives,
                             before "and I", subjects of verbs, questions, start of a
                             line, quoted chat, forwarded email headers, form lines;
                             names that are English words (Hope, Will, Sky, Storm...),
                             nicknames, and names of many origins common in the US)
  last        20 templates  (surnames alone, capitalised or ALL CAPS: "the X family",
                             "mrs X", "under X", "X residence", "tell X", "X from
                             billing", coworkers by surname, titles typed lower case)
  lname       30 templates  (full names typed in lower case: "first last", "first middle
                             last", "first m last", "last, first" (one span), two
                             Hispanic surnames, with and without cues)
  last_lower  15 templates  (surnames alone typed in lower case)
  apos        15 templates  (apostrophes, hyphens, particles, Mc/Mac, accents and other
                             non-ASCII letters: D'Andre, Hye-jin, O'Shea, MacLeod, de la
                             Cruz, dela Cruz, al-Hakim, Ben-David, Núñez, Trần, Wiśniewski,
                             Yılmaz; capitalised, lower case and ALL CAPS)
  = 125 name templates x 5 = 625 messages, plus 100 negative templates x 1 = 100
  negative messages (no personal name, but brands named after people (Wendy's, Ben &
  Jerry's, Dr Pepper, Trader Joe's, Calvin Klein...), products and dishes (Granny
  Smith, Caesar salad, Arnold Palmer, Alexa), streets and places (Martin Luther King
  Blvd, San Jose, St. Louis, Lincoln Ave, O'Hare, Charlotte), months and weekdays,
  teams, app features and plans, job titles alone, and words that are names (will, may,
  grant, bill, chase, mark, hope, rich, sunny, rose, summer, ray, max, pat...)).
  Total 725 messages. Spans: first 270, last 100, lname 155, last_lower 75, apos 75
  (some templates plant two or more names; main() prints these counts).

Each record: {"text": ..., "spans": [[kind, start, end], ...], "context": template id};
kinds: first, last, lname, last_lower, apos. Negatives have spans == []. Only names are
annotated; phone numbers, emails, order numbers, amounts, dates, cities and streets are
planted as context and not scored. The span of a surname after a title covers the
surname only. An apos name keeps the kind apos whatever its case.
Placeholders: {key}, {key:l} (lower) / {key:u} (upper); a digit after the key
({fa1} ... {fa1}) repeats the same value within one message. A surname key written
{key:l} is kind last_lower.
Deterministic: build() reseeds its own random.Random(6606) every call.
The record checks, fill loops and command line are shared with the other sets:
bench/pii_chat_dev_records.py.
"""

import random
import re

from pii_chat_dev_records import RecordBuilder, check_record, run_main

SEED = 6606
RNG = random.Random(SEED)
KINDS = ("first", "last", "lname", "last_lower", "apos")


def words(s):
    """A list written as one space-separated string."""
    return s.split()


# ---------------------------------------------------------------- names by origin
# origin: (weight, male first names, female first names, surnames). The weights are a
# rough US mix, tilted towards variety. Plain lists hold ASCII letters only; names with
# apostrophes, hyphens, particles, Mc/Mac or accents are in the APOS lists below.
ORIGINS = {
    "anglo": (
        26,
        words(
            "James Michael Robert John David William Richard Joseph Thomas Christopher Charles Daniel Matthew Anthony Donald Steven Andrew Paul Joshua Kenneth Kevin Brian Timothy Ronald George Jason Edward Jeffrey Ryan Jacob Nicholas Gary Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Patrick Raymond Dennis Jerry Tyler Aaron Henry Douglas Peter Adam Nathan Zachary Walter Kyle Harold Carl Jeremy Gerald Keith Roger Terry Lawrence Ethan Albert Jesse Bryan Bruce Noah Dylan Ralph Roy Alan Wayne Eugene Philip Logan Harry Liam Owen Caleb Colton Brody Wyatt Travis Dustin Cody Garrett Chad Brett Derek Shane Troy Clint Landon Jaxon Brantley"
        ),
        words(
            "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Sandra Margaret Ashley Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie Dorothy Rebecca Sharon Laura Cynthia Amy Kathleen Angela Shirley Brenda Emma Pamela Nicole Samantha Katherine Christine Helen Debra Rachel Carolyn Janet Catherine Heather Diane Olivia Julie Joyce Victoria Ruth Lauren Kelly Christina Joan Evelyn Judith Andrea Hannah Megan Cheryl Jacqueline Martha Madison Teresa Gloria Janice Kathryn Abigail Frances Alice Judy Isabella Julia Denise Danielle Marilyn Beverly Natalie Theresa Diana Brittany Doris Kayla Alexis Lori Tiffany Kaylee Harper Avery Addison Paisley Kinsley Tammy Brandy Shelby Kristen Courtney Chelsea Lindsey Haley Whitney"
        ),
        words(
            "Smith Johnson Williams Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin Thompson Harris Clark Lewis Walker Hall Allen Wright Scott Adams Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris Cooper Peterson Bailey Reed Howard Cox Ward Richardson Watson Bennett Hughes Sanders Myers Ross Powell Perry Russell Henderson Hamilton Graham Wallace Reynolds Ellis Stevens Ford Marshall Owens Harrison Gibson Wells Hayes Hoffman Schmidt Becker Schneider Wagner Keller Hartman Olson Larson Hansen Swanson Jensen Christensen Lindgren Pruitt Whitaker Caldwell Holloway Thornton Pickett Bradshaw Honeycutt Crowder"
        ),
    ),
    "black": (
        9,
        words(
            "Jamal Tyrone Darnell Terrell Malik Jalen Marquis Andre Reginald Cedric Darius Lamar Demetrius Jermaine Tremaine Kareem Rashad Devonte Javon Dwayne Terrence Isaiah Xavier Kendrick Quincy Roderick Jaylen DeShawn DeAndre Tavion"
        ),
        words(
            "Latoya Shanice Ebony Keisha Tanisha Aaliyah Imani Jasmine Tamika Shaniqua Latasha Ayanna Kiara Monique Yolanda Shonda Tierra Janelle Aisha Dominique Kendra LaKeisha Shameka Tamara Nia Jaliyah"
        ),
        words(
            "Washington Jefferson Jackson Robinson Coleman Simmons Jenkins Gaines Mosley Battle Freeman Dorsey Hairston Bynum Pettaway Mayfield Hollins Ware Bridges Tillman Pittman Staton Fountain Cheatham Dukes"
        ),
    ),
    "hispanic": (
        18,
        words(
            "Jose Juan Luis Carlos Jorge Miguel Jesus Antonio Alejandro Francisco Javier Eduardo Ricardo Fernando Roberto Manuel Sergio Raul Hector Arturo Rafael Diego Mateo Santiago Emiliano Joaquin Ramon Ruben Alfredo Armando Gerardo Ignacio Julio Pablo Rodrigo Esteban Osvaldo Efrain Ivan Adrian Cristian Brayan Omar Gilberto Rigoberto Leonel"
        ),
        words(
            "Maria Guadalupe Rosa Ana Carmen Leticia Yesenia Marisol Alejandra Daniela Valeria Ximena Camila Gabriela Lucia Sofia Veronica Adriana Claudia Elena Esperanza Graciela Yolanda Maribel Araceli Itzel Yadira Paola Dulce Lorena Nayeli Fernanda Beatriz Consuelo Socorro Reyna Marisela Xiomara Yaritza Jazmin Karina Alondra"
        ),
        words(
            "Garcia Rodriguez Martinez Hernandez Lopez Gonzalez Perez Sanchez Ramirez Torres Flores Rivera Gomez Diaz Reyes Morales Cruz Ortiz Gutierrez Chavez Ramos Ruiz Alvarez Mendoza Castillo Jimenez Moreno Romero Herrera Medina Aguilar Vargas Guzman Mendez Salazar Soto Delgado Rios Vazquez Castro Contreras Estrada Sandoval Ochoa Zamora Villanueva Cervantes Quintero Barajas Alvarado Carrillo Espinoza Valenzuela Ibarra Camacho Figueroa Arellano Villalobos Trujillo"
        ),
    ),
    "vietnamese": (
        3,
        words(
            "Minh Tuan Duc Huy Khoa Thanh Hung Quang Hieu Vinh Phuc Bao Tien Trung Thang Khanh Phong Danh Quoc Dat Long Nam"
        ),
        words(
            "Linh Trang Huong Ngoc Lan Thuy Mai Hoa Anh Nhung Thao Phuong Hanh Uyen Quynh Trinh Diem Kim Hien Nga Loan Tam Vy"
        ),
        words(
            "Nguyen Tran Le Pham Huynh Hoang Phan Vu Vo Dang Bui Ngo Duong Ly Truong Dinh Lam Luong Trinh"
        ),
    ),
    "chinese": (
        4,
        words(
            "Wei Jun Hao Jian Ming Lei Tao Yong Qiang Zhiwei Jiahao Xiaoming Haoran Zhen Kai Feng Gang Bin Yifan Zihan"
        ),
        words(
            "Mei Ling Xiu Yan Jing Fang Hui Xiaoling Yuting Jiayi Qian Ying Shu Xin Yuxi Ruolan Wenjing"
        ),
        words(
            "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Zhu Hu Guo Lin Gao Luo Zheng Liang Xie Tang Feng Deng Cao Peng Zeng Chan Wong Leung Chu Lau Cheung Yip Kwan Tsai"
        ),
    ),
    "korean": (
        2.5,
        words(
            "Minjun Jihoon Hyun Sungmin Dongwook Jaewon Seojun Taeyang Joon Sung Jin Hyunwoo Junho Jaehyun Kyung Youngho"
        ),
        words(
            "Jiyeon Soyeon Eunji Minji Hyejin Seoyeon Yuna Jisoo Sooyoung Haeun Sunhee Mihee Hyeri Boram Dahye"
        ),
        words(
            "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Seo Shin Kwon Hwang Ahn Song Yoo Hong Jeon Moon Baek"
        ),
    ),
    "indian": (
        4,
        words(
            "Arjun Rahul Vikram Rohan Amit Sanjay Rajesh Suresh Anil Ravi Pranav Aarav Vivek Karthik Siddharth Nikhil Deepak Manoj Harish Venkat Srinivas Gurpreet Harjit Aditya Ishaan Kunal Rishi Sunil"
        ),
        words(
            "Priya Ananya Deepa Kavya Neha Pooja Divya Sneha Lakshmi Meera Aishwarya Sunita Anjali Shreya Ritu Simran Harpreet Jaspreet Padma Swati Isha Nandini Radhika Kiran"
        ),
        words(
            "Patel Shah Singh Kumar Sharma Gupta Reddy Rao Iyer Nair Mehta Desai Joshi Chopra Kapoor Malhotra Agarwal Banerjee Chatterjee Mukherjee Venkatesan Krishnan Subramanian Pillai Bhatt Trivedi Dhillon Sandhu Grewal Choudhury Menon"
        ),
    ),
    "filipino": (
        3,
        words(
            "Rommel Rodel Arnel Jerome Ramil Efren Danilo Renato Rolando Jomar Jericho Nestor Dindo Ferdinand Marlon Reynaldo Edgardo Rogelio"
        ),
        words(
            "Maricel Rowena Jocelyn Marites Lourdes Imelda Divina Rosalie Jovelyn Analyn Marilou Liezl Kristine Marivic Glenda Arlene Charmaine"
        ),
        words(
            "Santos Bautista Ocampo Aquino Dizon Pascual Mercado Soriano Dimaculangan Macaraeg Bernardo Salonga Tolentino Magbanua Gonzales Navarro Lacson Dumlao Cabrera Panganiban Manalo Villareal"
        ),
    ),
    "arabic": (
        2,
        words(
            "Mohammed Ahmed Omar Ali Hassan Khalid Youssef Mustafa Tariq Karim Samir Bilal Hamza Ibrahim Ziad Faisal Rami Nasser Walid Amir Yasin Adnan Salim Majid"
        ),
        words(
            "Fatima Aisha Layla Mariam Noor Yasmin Amira Huda Rania Leila Salma Zainab Hala Nadia Samira Rana Dalia Lina Hiba Reem Jamila Sana Dina"
        ),
        words(
            "Haddad Khoury Saleh Abdullah Mansour Hamdan Aziz Karam Darwish Jaber Sabbagh Hamid Rahman Qureshi Khan Siddiqui Abboud Shalabi Barakat Bishara Nassar"
        ),
    ),
    "nigerian": (
        2,
        words(
            "Chinedu Emeka Oluwaseun Tunde Chukwuemeka Obinna Nnamdi Ikechukwu Femi Segun Babatunde Olumide Kelechi Uchenna Chidi Ifeanyi Kayode Tobi Adewale"
        ),
        words(
            "Ngozi Chiamaka Adaeze Funmilayo Folake Yetunde Oluwakemi Chioma Amaka Nneka Ifeoma Temitope Titilayo Bukola Adaora Abimbola Omolara"
        ),
        words(
            "Okafor Adeyemi Okonkwo Eze Nwosu Adebayo Okoro Obi Ogunleye Oyelaran Balogun Chukwu Nwachukwu Afolabi Okeke Ibekwe Adeleke Olawale Ogundipe Uzoma Akinola Bello"
        ),
    ),
    "ethiopian": (
        1.5,
        words(
            "Abebe Dawit Tesfaye Yonas Bereket Mulugeta Girma Tewodros Henok Kidane Fikru Biniam Mesfin Alemayehu Eyob Natnael Yohannes"
        ),
        words(
            "Tigist Meron Selam Hiwot Mahlet Rahel Senait Liya Almaz Saba Frehiwot Aster Yordanos Kidist Tsion"
        ),
        words(
            "Bekele Alemu Haile Kebede Tadesse Mekonnen Wolde Gebremedhin Assefa Negash Abera Worku Desta Teklu Hailu Mengistu"
        ),
    ),
    "haitian": (
        1.5,
        words(
            "Wilner Fritz Jacques Ricot Kervens Wesner Fritznel Woodly Dieuseul Wisly Fednel Frantz Lesly Yves Jocelyn Ernst"
        ),
        words(
            "Guerline Nadege Marjorie Fabienne Mirlande Roseline Widline Mireille Nadine Islande Guerda Darline Fedeline Ketly Myrlande Magalie Carline"
        ),
        words(
            "Pierre Joseph Celestin Dorvil Estime Laguerre Toussaint Baptiste Saintil Dorsainvil Augustin Desir Etienne Valcourt Cineus Lafontant Belizaire Jeudy"
        ),
    ),
    "polish": (
        2,
        words(
            "Tomasz Piotr Krzysztof Andrzej Pawel Marek Michal Grzegorz Wojciech Jakub Lukasz Kamil Dariusz Stanislaw Mateusz Zbigniew Bartosz Jerzy Tadeusz Kazimierz"
        ),
        words(
            "Agnieszka Katarzyna Malgorzata Magdalena Joanna Ewa Dorota Beata Marta Zofia Krystyna Aleksandra Jolanta Elzbieta Grazyna Halina Bozena Justyna Urszula Iwona"
        ),
        words(
            "Kowalski Nowak Wisniewski Wojcik Kowalczyk Kaminski Lewandowski Zielinski Szymanski Wozniak Dabrowski Kozlowski Jankowski Mazur Krawczyk Piotrowski Grabowski Pawlowski Michalski Wieczorek Zajac Jablonski Sobczak Nowicki Majewski Olszewski Malinowski Jaworski"
        ),
    ),
    "ukrainian": (
        1.5,
        words(
            "Oleksandr Volodymyr Mykola Taras Bohdan Dmytro Andriy Yuriy Serhiy Oleh Vasyl Ihor Mykhailo Petro Yaroslav Maksym Artem Vitaliy Ostap"
        ),
        words(
            "Olena Oksana Iryna Nataliya Tetiana Halyna Svitlana Yulia Kateryna Lyudmyla Khrystyna Mariya Nadiya Viktoriya Solomiya Larysa Daryna Orysia Zoryana"
        ),
        words(
            "Shevchenko Kovalenko Bondarenko Tkachenko Kravchenko Melnyk Boyko Kovalchuk Oliynyk Lysenko Marchenko Moroz Petrenko Savchenko Rudenko Tkachuk Hrytsenko Kozak Pavlenko Sydorenko Zinchenko Yatsenko Levchenko Klymenko Fedorenko"
        ),
    ),
    "native": (
        1.5,
        words("Chayton Takoda Ahiga Nodin Mato Koda Kele Kohana Elsu Ahanu Hotah Wapi"),
        words("Winona Aiyana Nizhoni Chenoa Ayasha Tallulah Halona Kimi Aponi Dyani Tayen Catori"),
        words(
            "Begay Yazzie Benally Tsosie Nez Etsitty Harjo Locklear Oxendine Chee Bitsui Todacheene Manygoats Yellowhorse Tallbull Whitehorse Redhorse Spottedhorse Lonefight Attakai Wauneka Goseyun"
        ),
    ),
    "hmong": (
        1.5,
        words("Tou Pao Chue Kou Xeng Fue Neng Kao Yeng Xai Lue Pheng Chong Seng Meng Nhia Teng"),
        words("Shoua Choua Yer Kia Pang Youa Xee Nou Maiyer Zoua Chia Xia Mee Mao Maiv Bee"),
        words("Vang Xiong Thao Moua Lor Vue Hang Khang Kue Chang Yang Lee"),
    ),
    "japanese": (
        1.5,
        words("Hiroshi Kenji Takeshi Daisuke Kenta Haruto Sota Ryo Kazuo Satoshi Yuto"),
        words("Yuki Aiko Haruka Emi Keiko Naomi Sakura Yumi Akiko Mika Ayumi"),
        words(
            "Tanaka Suzuki Sato Takahashi Watanabe Ito Yamamoto Nakamura Kobayashi Yoshida Inoue Kimura Hayashi Shimizu Fujita Matsumoto"
        ),
    ),
    "somali": (
        1,
        words("Abdi Abdirahman Mohamed Abdullahi Liban Guled Mahad Hamse Said"),
        words("Hodan Faduma Ayaan Hibaq Sahra Ifrah Ubah Hamdi Nasra Deeqa"),
        words("Warsame Jama Farah Hussein Osman Mohamud Yusuf Egal Dualeh"),
    ),
    "russian": (
        1.5,
        words("Dmitri Sergei Alexei Ivan Nikolai Igor Yuri Mikhail Vladimir Pavel Anatoly"),
        words("Natasha Svetlana Olga Tatiana Irina Anya Ksenia Ludmila Yelena Galina"),
        words(
            "Ivanov Petrov Smirnov Volkov Sokolov Popov Kuznetsov Morozov Novikov Orlov Fedorov Kozlov Volkova Petrova"
        ),
    ),
    "italian": (
        3,
        words("Giuseppe Salvatore Vincenzo Dominic Gino Carmine Luca Marco Enzo Paolo Rocco Sal"),
        words("Francesca Giulia Rosaria Antonella Gianna Carmela Concetta Filomena Graziella"),
        words(
            "Russo Esposito Romano Colombo Ricci Marino Greco Bruno Gallo Conti Rizzo Lombardi Moretti Barbieri Caruso Ferrara Santoro Mancini Costa Giordano Pellegrino"
        ),
    ),
    "irish": (
        2.5,
        words("Sean Declan Cormac Ciaran Eamon Killian Conor Rory Brendan Padraig Colm"),
        words("Siobhan Niamh Aoife Saoirse Maeve Ciara Caitlin Roisin Orla Bridget Sinead"),
        words(
            "Murphy Kelly Sullivan Walsh Byrne Ryan Doyle Gallagher Kennedy Quinn Brennan Flanagan Doherty Fitzgerald Lynch Keane Mulligan Donnelly Callahan Flynn Nolan Hogan"
        ),
    ),
    "greek": (
        1,
        words("Georgios Nikos Dimitrios Kostas Yiannis Christos Stavros Spiros Thanos"),
        words("Eleni Katerina Despina Athena Vasiliki Anastasia Dimitra Chrysa"),
        words(
            "Papadopoulos Pappas Georgiou Nikolaidis Demos Kouris Karras Alexopoulos Stavropoulos Christakis Economou Vlahos"
        ),
    ),
    "jewish": (
        2,
        words("Avi Moshe Eitan Yosef Noam Ari Shlomo Doron Yaakov Mordechai"),
        words("Shira Rivka Tova Miriam Yael Chana Talia Esti Dafna Raizy"),
        words(
            "Cohen Levy Goldberg Friedman Schwartz Katz Rosenberg Shapiro Weiss Kaplan Horowitz Rubin Stein Greenberg Feldman Adler Blum Mizrahi Peretz"
        ),
    ),
    "persian": (
        1,
        words("Reza Arash Dariush Kian Babak Farhad Kourosh Mehdi Navid Payam"),
        words("Shirin Parisa Mahsa Nasrin Roya Azadeh Mina Niloufar Yasaman"),
        words(
            "Ahmadi Hosseini Karimi Rezaei Mohammadi Jafari Tehrani Rahimi Moradi Sadeghi Farahani Nikpour"
        ),
    ),
    "pacific": (
        1,
        words("Sione Tevita Iosefa Malakai Sefa Pita Kekoa Makoa Keoni"),
        words("Mele Losa Sina Leilani Salote Malia Alofa Keala Noelani"),
        words(
            "Tuilagi Faleolo Leota Tupou Fifita Taufa Vaifale Soliai Fuimaono Kealoha Kahale Kamakana Akana Nakoa"
        ),
    ),
    "brazilian": (
        1,
        words("Thiago Gustavo Felipe Leandro Marcelo Vinicius Caio Rogerio"),
        words("Juliana Larissa Bruna Thais Raquel Luana Priscila"),
        words(
            "Silva Oliveira Souza Pereira Carvalho Almeida Ferreira Barbosa Teixeira Moreira Cardoso Azevedo"
        ),
    ),
    "turkish": (
        0.5,
        words("Mehmet Emre Burak Murat Kerem Serkan"),
        words("Elif Zeynep Merve Esra Derya Ebru"),
        words("Demir Kaya Arslan Aydin Ozdemir Koc"),
    ),
}

# first names that are also English words
WORD_M = words(
    "Will Bill Mark Chase Hunter Max Ray Grant Art Rich Drew Frank Chip Duke Cash Miles Wade Cliff Dale Forrest Clay Rocky Rusty Lance Mason Gene Buck Earl Skip Rex Jay Sonny Bud"
)
WORD_F = words(
    "Hope Grace Rose June Summer Faith Joy Crystal Dawn Penny Ruby Pearl Jade Ivy Autumn Brook Misty April Holly Heather Daisy Lily Violet Iris Amber Ginger Candy Destiny Harmony Melody Charity Patience Liberty Robin Hazel Olive Sage Meadow Willow Precious Blessing Sandy Cherry Goldie Jewel"
)
WORD_U = words("Sky River Storm Angel Sunny Pat Ash Rain Reed Sterling")
NICK_M = words(
    "Bobby Jimmy Danny Tommy Johnny Mikey Joey Stevie Ricky Manny Chuy Pepe Nacho Lalo Beto Paco Memo Kenny Vinny Sully Gus Fitz Dre Jojo Bubba Junior Moose"
)
NICK_F = words(
    "Liz Beth Becky Jen Jenny Katie Maggie Meg Peggy Patty Trish Deb Debbie Cindy Sue Suzy Vicky Nikki Steph Chrissy Abby Gabby Lexi Mandy Tammie Terri Lupe Lulu Chela Kiki Mimi Bea Dani Jess Annie Josie Millie Ally Nat Mags"
)
NICK_U = words("AJ TJ CJ Sam Alex Jo Frankie Charlie Bobbie Nicky Tati Jojo")

# word surnames
WORD_LAST = words(
    "Brown Young King Long Rice Wolf Fox Price Hill Stone Bell Snow Frost Banks Love Rivers Woods Waters Summers Cook Baker Hunter Mason Carpenter Fisher Shepherd Black White Green Gray Strong Wise Sharp Swift Moody Lamb Bird Crane Sweet Goodman Day Knight Park Moon Song Hope Bishop Church"
)

# ---------------------------------------------------------------- apostrophes & co.
# origin: (marked first names, marked surnames, ORIGINS key for plain partners)
APOS_BY = {
    "black": (
        words(
            "D'Andre De'Asia Ja'Marcus Ke'Shawn Da'Quan La'Tonya Sha'Niece Tre'Von Za'Kiya Jo'Nae Ty'Asia"
        ),
        [],
        "black",
    ),
    "korean": (
        words("Hye-jin Min-jun Ji-woo Seo-yeon Eun-ji Jae-hyun Sung-min Ha-eun Ji-hoon"),
        [],
        "korean",
    ),
    "hispanic": (
        [
            *words(
                "José Jesús Raúl Héctor Joaquín Ramón Rubén Sofía Lucía María Inés Andrés Ángel Martín Yesenia-Anahí"
            ),
            "María José",
            "Ana Lucía",
        ],
        [
            "de la Cruz",
            "de la Rosa",
            "de los Santos",
            "del Rio",
            "de la Garza",
            *words(
                "Peña Muñoz Núñez Ibáñez Gómez Pérez Hernández Rodríguez Sánchez Ramírez Díaz Jiménez Álvarez Gutiérrez García-López Martínez-Ruiz Ortiz-Vega"
            ),
        ],
        "hispanic",
    ),
    "haitian": (
        words(
            "Jean-Pierre Marie-Claude Rose-Marie Jean-Robert Marie-Ange Jean-Claude Marie-Michelle"
        ),
        ["Jean-Baptiste", "Fils-Aimé", "Petit-Frère", "Saint-Fleur", "St. Pierre", "St. Hilaire"],
        "haitian",
    ),
    "french": (
        words("Renée André Noémie Hélène Chloé Zoë Thérèse"),
        words("LeBlanc Thibodeaux-Breaux Fontenot-Guidry LaFleur"),
        "anglo",
    ),
    "anglo": (
        words("Mary-Kate Anne-Marie Billy-Ray Bobbi-Jo Lee-Ann Mary-Beth Sarah-Jane"),
        ["Smith-Jones", "Taylor-Brown", "Van Dyke", "Van Horn", "VanderMeer"],
        "anglo",
    ),
    "irish": (
        words("Seán Siobhán Róisín Pádraig"),
        words(
            "O'Brien O'Connor O'Neill O'Reilly O'Sullivan O'Malley O'Shea O'Hara O'Donnell McCarthy McGuire McBride McLaughlin McKenzie McGowan"
        ),
        "irish",
    ),
    "scottish": (
        [],
        words("MacDonald MacKenzie MacLeod MacPherson MacGregor MacAllister"),
        "anglo",
    ),
    "italian": (
        [],
        words("D'Amico D'Angelo D'Agostino DeLuca DiNapoli LaRocca DiSalvo"),
        "italian",
    ),
    "goan": ([], words("D'Souza D'Costa D'Mello"), "indian"),
    "filipino": (
        [],
        ["dela Cruz", "de Guzman", "delos Reyes", "Dela Peña", "de Leon", "de Castro"],
        "filipino",
    ),
    "arabic": (
        [],
        words("al-Hakim Al-Amin El-Sayed Abu-Ghazaleh al-Masri El-Khoury Al-Jabouri"),
        "arabic",
    ),
    "hebrew": ([], words("Ben-David Bar-Lev Ben-Ami Ben-Haim"), "jewish"),
    "german": (
        words("Jürgen Jörg Bärbel"),
        ["Müller", "Schröder", "von Bergen", "Köhler"],
        "anglo",
    ),
    "vietnamese": (
        words("Thảo Phương Ngọc Đức Hùng Tuấn Trâm Huệ"),
        words("Nguyễn Trần Lê Phạm Huỳnh Đặng Võ"),
        "vietnamese",
    ),
    "polish": (
        words("Paweł Łukasz Małgorzata Grażyna Bożena Michał"),
        words("Wiśniewski Wójcik Dąbrowski Król Kamiński Zieliński Gałązka"),
        "polish",
    ),
    "turkish": (
        words("Ayşe Gülşen Çağlar Şükrü Gökhan"),
        words("Yılmaz Öztürk Çelik Şahin Doğan"),
        "turkish",
    ),
    "nordic": (words("Björn Søren Åsa"), words("Sørensen Ødegaard Åberg"), "anglo"),
    "hawaiian": (
        words("Ka'iulani Kaʻimi Mālie"),
        words("Kaʻaihue Kekumu-Kalaʻi"),
        "pacific",
    ),
    "portuguese": (
        words("João Conceição Gonçalo"),
        words("Gonçalves Simões Magalhães"),
        "brazilian",
    ),
    "czech": ([], words("Dvořák Novotný Procházka"), "anglo"),
}

CITIES = [
    "San Jose",
    "St. Louis",
    "Charlotte",
    "Austin",
    "Jackson",
    "Fresno",
    "Tulsa",
    "Raleigh",
    "Boise",
    "Columbus",
    "El Paso",
    "Des Moines",
    "Fort Worth",
    "Spokane",
    "Madison",
    "Savannah",
    "Lansing",
    "Eugene",
    "Tyler",
    "San Antonio",
    "Minneapolis",
    "Sacramento",
    "Orlando",
    "Albuquerque",
]
STREETS = [
    "Martin Luther King Jr Blvd",
    "Lincoln Ave",
    "Washington St",
    "Main St",
    "Oak St",
    "Jefferson Pkwy",
    "Cesar Chavez Ave",
    "Roosevelt Rd",
    "Franklin St",
    "Elm St",
    "Maple Dr",
    "MLK Blvd",
    "Kennedy Blvd",
    "Grand Ave",
    "Pine Ridge Rd",
    "Sunset Blvd",
    "Route 9",
    "Madison Ave",
    "Broadway",
    "3rd Ave",
]
MONTHS = words(
    "January February March April May June July August September October November December"
)
DAYS = words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
EMAILS = [
    "bluefrog88@gmail.com",
    "tacos4life@yahoo.com",
    "mkt.runner22@outlook.com",
    "pinkflamingo77@gmail.com",
    "zz.top.fan@aol.com",
    "gardenhose1999@hotmail.com",
    "cloudnine.4@icloud.com",
    "rxpickup.home@gmail.com",
]
AREA = ["212", "305", "404", "512", "602", "615", "713", "773", "818", "919", "206", "414"]
TIMES = ["8am", "9:30", "noon", "3pm", "4:15pm", "6 pm", "7:45am", "10pm"]


def _phone():
    fmt = RNG.choice(["%s-555-01%02d", "(%s) 555-01%02d", "%s55501%02d", "%s.555.01%02d"])
    return fmt % (RNG.choice(AREA), RNG.randint(0, 99))


def _amt():
    return f"${RNG.randint(9, 480)}.{RNG.randint(0, 99):02d}"


def _order():
    return RNG.choice(["#", "", "W", "ORD-", "#A"]) + str(RNG.randint(100000, 99999999))


def _date():
    return f"{RNG.randint(1, 12)}/{RNG.randint(1, 28)}/{RNG.randint(1941, 2019)}"


FILLERS = {
    "phone": _phone,
    "amt": _amt,
    "order": _order,
    "card": lambda: f"{RNG.randint(0, 9999):04d}",
    "city": lambda: RNG.choice(CITIES),
    "street": lambda: RNG.choice(STREETS),
    "month": lambda: RNG.choice(MONTHS),
    "day": lambda: RNG.choice(DAYS),
    "time": lambda: RNG.choice(TIMES),
    "email": lambda: RNG.choice(EMAILS),
    "zip": lambda: f"{RNG.randint(10000, 99950):05d}",
    "date": _date,
    "num": lambda: str(RNG.randint(12, 9800)),
}


# ---------------------------------------------------------------- name generators
def _origin(exclude_anglo=False):
    keys = [k for k in ORIGINS if not (exclude_anglo and k == "anglo")]
    return RNG.choices(keys, weights=[ORIGINS[k][0] for k in keys])[0]


def _gender(gender):
    return gender or RNG.choice("mf")


def _first(gender=None, origin=None):
    o = origin or _origin()
    return RNG.choice(ORIGINS[o][1 if _gender(gender) == "m" else 2])


def _any_first(gender=None):
    """Mostly by origin, some word names and nicknames."""
    g = _gender(gender)
    r = RNG.random()
    if r < 0.1:
        return RNG.choice((WORD_M if g == "m" else WORD_F) + WORD_U)
    if r < 0.2:
        return RNG.choice((NICK_M if g == "m" else NICK_F) + NICK_U)
    return _first(g)


def _word_first(gender=None):
    if gender is None:
        return RNG.choice(WORD_M + WORD_F + WORD_U + WORD_U)
    return RNG.choice((WORD_M if gender == "m" else WORD_F) + WORD_U)


def _nick(gender=None):
    if gender is None:
        return RNG.choice(NICK_M + NICK_F + NICK_U)
    return RNG.choice((NICK_M if gender == "m" else NICK_F) + NICK_U)


def _surname(exclude_anglo=False):
    if not exclude_anglo and RNG.random() < 0.08:
        return RNG.choice(WORD_LAST)
    return RNG.choice(ORIGINS[_origin(exclude_anglo)][3])


def _full_lower(gender=None, middle=None, reverse=False):
    """A full name typed in lower case. middle: None, "name" or "initial"."""
    g = _gender(gender)
    o = _origin()
    last = RNG.choice(ORIGINS[o][3])
    if o == "hispanic" and RNG.random() < 0.3:  # two surnames
        last += " " + RNG.choice([n for n in ORIGINS[o][3] if n != last])
    first = _first(g, o) if RNG.random() < 0.75 else _first(g, "anglo")
    parts = [first]
    if middle == "name":
        mid = first
        while mid == first:
            mid = _first(g, o if RNG.random() < 0.6 else "anglo")
        parts.append(mid)
    elif middle == "initial":
        parts.append(RNG.choice("abcdefghjklmnprstvwy") + RNG.choice(["", "", "."]))
    name = last + ", " + " ".join(parts) if reverse else " ".join([*parts, last])
    return name.lower()


APOS_FIRST = [(o, n) for o, v in APOS_BY.items() for n in v[0]]
APOS_LAST = [(o, n) for o, v in APOS_BY.items() for n in v[1]]


def _apos_first():
    return RNG.choice(APOS_FIRST)[1]


def _apos_last():
    return RNG.choice(APOS_LAST)[1]


def _apos_full():
    keys = list(APOS_BY)
    o = RNG.choices(keys, weights=[len(APOS_BY[k][0]) + len(APOS_BY[k][1]) for k in keys])[0]
    firsts, lasts, base = APOS_BY[o]
    patterns = []
    if firsts:
        patterns.append("F+l")
    if lasts:
        patterns.append("f+L")
    if firsts and lasts:
        patterns.append("F+L")
    pat = RNG.choice(patterns)
    first = RNG.choice(firsts) if pat.startswith("F") else _first(None, base)
    last = RNG.choice(lasts) if pat.endswith("L") else RNG.choice(ORIGINS[base][3])
    return first + " " + last


# key: (generator, kind)
NAMES = {
    # first names
    "fa": (lambda: _any_first(), "first"),
    "fm": (lambda: _any_first("m"), "first"),
    "ff": (lambda: _any_first("f"), "first"),
    "fo": (lambda: _first(None, _origin(exclude_anglo=True)), "first"),
    "xm": (lambda: _first("m", _origin(exclude_anglo=True)), "first"),
    "xf": (lambda: _first("f", _origin(exclude_anglo=True)), "first"),
    "fw": (lambda: _word_first(), "first"),
    "wm": (lambda: _word_first("m"), "first"),
    "wf": (lambda: _word_first("f"), "first"),
    "wu": (lambda: RNG.choice(WORD_U), "first"),
    "kn": (lambda: _nick(), "first"),
    "km": (lambda: _nick("m"), "first"),
    "kf": (lambda: _nick("f"), "first"),
    # surnames
    "ln": (lambda: _surname(), "last"),
    "lo": (lambda: _surname(exclude_anglo=True), "last"),
    "lw": (lambda: RNG.choice(WORD_LAST), "last"),
    # full names typed in lower case
    "nm": (lambda: _full_lower(), "lname"),
    "nf": (lambda: _full_lower("f"), "lname"),
    "nh": (lambda: _full_lower("m"), "lname"),
    "nmm": (lambda: _full_lower(middle="name"), "lname"),
    "nmi": (lambda: _full_lower(middle="initial"), "lname"),
    "nmr": (lambda: _full_lower(reverse=True), "lname"),
    # apostrophes, hyphens, particles, Mc/Mac, accents
    "apf": (_apos_first, "apos"),
    "apl": (_apos_last, "apos"),
    "apn": (_apos_full, "apos"),
}

PARTICLES = {
    "de",
    "la",
    "los",
    "del",
    "van",
    "der",
    "von",
    "al",
    "el",
    "da",
    "dos",
    "st",
    "dela",
    "delos",
}
PH = re.compile(r"\{([a-z]+)(\d?)(?::([lu]))?\}")
TOKEN = re.compile(r"[^\W\d_]+")


def _tokens(val):
    return {t.lower() for t in TOKEN.findall(val) if t.lower() not in PARTICLES}


def gen(key, mod, state, bind):
    """One placeholder value and its kind (None for context that is not scored)."""
    if bind and (key, bind) in state["bound"]:
        val = state["bound"][(key, bind)]
        kind = NAMES[key][1]
    elif key in NAMES:
        make, kind = NAMES[key]
        for _ in range(80):  # no word shared with another name of this message
            val = make()
            if not (_tokens(val) & state["used"]):
                break
        state["used"] |= _tokens(val)
        if bind:
            state["bound"][(key, bind)] = val
    else:
        val, kind = FILLERS[key](), None
    if mod == "l":
        val = val.lower()
        if kind == "last":
            kind = "last_lower"
    elif mod == "u":
        assert kind != "lname", key
        val = val.upper()
    return val, kind


def fill(tpl):
    """Fill a template: (text, spans, values), spans [[kind, start, end], ...]."""
    out, spans, values, pos, cur = [], [], [], 0, 0
    state = {"used": set(), "bound": {}}
    for m in PH.finditer(tpl):
        lit = tpl[pos : m.start()]
        out.append(lit)
        cur += len(lit)
        val, kind = gen(m.group(1), m.group(3), state, m.group(2))
        if kind:
            spans.append([kind, cur, cur + len(val)])
            values.append(val)
        out.append(val)
        cur += len(val)
        pos = m.end()
    out.append(tpl[pos:])
    return "".join(out), spans, values


def unambiguous(text, spans):
    """False if a word of a planted name also occurs outside the spans (e.g. the name
    Will in a message that also says "will"): such a message would be mislabelled.
    Single letters (middle initials) and particles are not checked."""
    for _, s, e in spans:
        for tok in TOKEN.findall(text[s:e]):
            if len(tok) < 2 or tok.lower() in PARTICLES:
                continue
            pat = r"(?<![^\W_])" + re.escape(tok) + r"(?![^\W_])"
            for m in re.finditer(pat, text, re.I):
                if not any(ps <= m.start() and m.end() <= pe for _, ps, pe in spans):
                    return False
    return True


# ---------------------------------------------------------------- FIRST (45)
FIRST_T = [
    "my roommate {xf:l} moved out in {month:l} but her name is still on the internet acct, how do i take her off",
    "hi the caseworker {ff} told me to contact u about the lifeline discount, she said u need my benefits letter",
    "the dog walker {fm:l} has a spare key and he keeps getting locked out bc the smart lock code resets itself",
    "my sons coach {xm} needs to be added as a pickup contact for the after school program how do i do that",
    "pls cc {kf:l} on the claim emails shes my daughter and she handles my stuff now",
    "per {fa} on the phone yesterday the late fee was supposed to be waived but i still see {amt} on my bill",
    "thx {fw} u were super helpful!!",
    "ok ty {fo:l} ur the best, have a good one",
    "me, {fa:l} and {fo:l} are all on the family plan and only my line got the 5g upgrade??",
    "{xm:l} called yesterday and said the tech would come {day:l} between 8 and 12, nobody showed",
    "did {fo:l} already pay the {month} rent thru the app? i see a pending {amt} but idk who sent it",
    "{wf:l} handles the bills in our house so can u send the statements to her email instead {email}",
    "{kn}'s phone got stolen on the bus, can we suspend just that line and keep mine active",
    "my ex {fm:l} still has access to our streaming profile and keeps changing the password, i want him removed",
    "the previous owner of this account was {fa}, i bought the house from them in {month} and need the service moved to my name",
    "co-signer on the car loan is my uncle {xm}, does he need to sign anything for the refinance",
    "my tenant {fa:l} says the water heater is out, is that covered under the home warranty or not",
    "my daughters teacher {ff} sent a link to pay for the field trip but the portal says error 403",
    "reschedule the dog grooming pls, {xf:l} (my wife) booked it for {day} but were out of town",
    "@{fa:l} are u the one who handled my refund last week? order {order}",
    "was chatting w/ {ff:l} earlier and got disconnected can i get her back she knew the whole story",
    "Hi {fa},\nthanks for getting back to me. I still havent received the replacement card.\nThanks, {fo}",
    "HI MY NAME IS {fo:u} AND I NEED TO CANCEL MY GYM MEMBERSHIP I MOVED TO {city:u}",
    "so basically my brother in law {xm} opened the account in my name w/o asking and now i have a collections notice for {amt}",
    "is {ff:l} still the pharmacist at the {street} location? she always fixes my insurance issues",
    "{fa} and I both got charged for the same ride to the airport, {amt} each, pls refund one",
    "grandma wants to add {km} as an authorized user on her card, what info do u need from him",
    '"{fa}: your appointment is confirmed for {day}" thats what the bot said but the clinic has no record of it',
    "---------- Forwarded message ---------\nFrom: {ff} <{email}>\nSubject: lease renewal\n\ncan u look at this, {fm} from the leasing office said to send it here",
    "name on acct: me\nauthorized user: {xf}\nrelationship: mother in law\nreason: she pays half the bill",
    "ok so i called three times already and the first guy hung up the second lady {ff:l} said it was fixed and the third one said theres no ticket at all so which is it",
    "we switched to the unlimited plan back in {month} because my stepdad {xm:l} said it would be cheaper with the military discount but the bill went up by {amt} instead",
    "WHY DID {fw:u} GET A REFUND AND I DIDNT WE BOUGHT THE SAME TICKETS",
    "hey\nmy nanny {xf:l} is gonna use my rideshare account this week\ncan i set a spending limit for her\nthanks",
    "can {xm} still see my health portal? i revoked his proxy access in {month} but he says he can see my labs",
    "my nieghbor {ff:l} keeps getting my packages delivred to her porch can u update the drop off notes",
    "gym question: my trainer {wm} left, who do i talk to about the 10 sessions i prepaid for",
    "this is {xf}'s mom, she was marked absent on {day} but she was in class the whole day",
    "hey its {kn:l} again lol. same issue as yesterday the app wont load my boarding pass",
    "our landlord {xm} says the electric is in our name now but the utility company says its still in his",
    "I talked to {wf} at the front desk and she said my membership freeze would start {month} 1st",
    "lines on my acct: me ({fa}), my wife {xf}, and the kids {fa} and {fa}",
    "can u transfer me back to {fa1}? i was talking to someone named {fa1} before the call dropped",
    "{fo:l}\n{fo:l}\nthose r the only two ppl allowed to pick up my son from aftercare",
    "booked a ride w/ driver {xm:l} and he cancelled 3 times, still got charged {amt}",
]

# ---------------------------------------------------------------- LAST (20)
LAST_T = [
    "hi this is for the {ln} family, our autopay failed again this month",
    "mrs {ln} from the school office said i could pay the lunch balance online but theres no option for it",
    "the account is under {ln}, not my maiden name",
    "acct under {lo:u} pls check again",
    "delivery label says {ln} residence but we moved in {month} and they still send their stuff here",
    "tell {ln} from billing that i already faxed the form twice",
    "dr {lo} office needs a prior auth for my refill can u send it over",
    "me and my coworker {ln} split a ride every morning, can we split the payment in the app",
    "coach {ln} says the team fee is {amt} but the app charged me twice",
    "officer {lo} filed the police report, do u need the report number for the claim",
    "the adjuster, a Mr. {ln}, never called me back about the hail damage",
    "pharmacist {lo} said my copay would be lower with the new plan, its not",
    "MS {ln:u} IS MY SONS CASE MANAGER AND SHE CAN SPEAK FOR HIM",
    "the lease is in my roommates name, {lo}, can i still sign up for internet",
    "ask for {ln} in the claims dept, he knows my case",
    "nurse {lo} told me to message here for my test results",
    "sgt {ln} at the base housing office needs a letter showing the service transfer date",
    "professor {lo} says the textbook access code is included but i got charged {amt}",
    "{ln} here, calling about the water main break on {street}",
    "im in mr {lw}'s 3rd period and the school laptop wont connect to the wifi",
]

# ---------------------------------------------------------------- LNAME (30)
LNAME_T = [
    "hi my name is {nm} and i need to update my address",
    "{nmr}\nacct ending {card}\nneed new card mailed",
    "the ticket says {nmi} but my passport has no middle initial, will that be a problem at the gate",
    "my mom {nf} passed away in {month:l} and i need to close her phone line",
    "insurance card says {nmr} is that right or should it be first name first",
    "pls add {nm} as an authorized user",
    "beneficiary name: {nmm}\nrelationship: child\nshare: 100",
    "this is {nm} calling about order {order}",
    "i am writing on behalf of my father {nh} who is in the hospital",
    "package for {nm} was left at {street}, wrong address",
    "can {nf} pick up my rx? she has my permission",
    "pls fix asap\n\n{nm}\nsent from my phone",
    "send the refund to my wife {nf} since the card is in her name",
    "patient name {nmr} dob {date}",
    "who is {nm}?? theres a new device on my account under that name",
    "the school has my kid listed as {nmi} and the lunch account under something else",
    "transfer the gym membership to my sister {nf}, shes taking it over",
    "{nm} and {nm} both share this account, we are roommates",
    "reservation for {nm} party of 2 at {time}",
    "policy {order} insured {nmr}",
    "emergency contact: {nm} {phone}",
    "ride was booked by {nm} for me, can i see the receipt",
    "my caseworker {nm} at dhs needs a copy of my last 3 statements",
    "TO: SUPPORT\nFROM: {nm}\nRE: CANCEL SERVICE\n\npls cancel eff {month} 1",
    "the lease is signed by me and {nmm}",
    "tenant {nf} moved out, remove her from the utility acct",
    "my legal name is {nmm} but i go by {fa:l}",
    "got a text from someone saying they were {nm} from ur fraud dept, is that real?",
    "doctor referral for {nmi} to cardiology hasnt gone thru",
    "paycheck went to {nm}'s account instead of mine, we used to share a phone",
]

# ---------------------------------------------------------------- LAST_LOWER (15)
LLOW_T = [
    "the acct is under {ln:l} pls look again",
    "mrs {ln:l} is our neighbor and she said u delivered our box to her house",
    "hi the {lo:l} family here, we want to pause the meal kit for 2 weeks",
    "dr {lo:l} wants me to switch to the generic is it covered",
    "i talked to {ln:l} from billing yesterday and he said the credit would post in 3 days",
    "my landlord mr {lo:l} wont let the tech in without 24hr notice",
    "reservation under {ln:l} for 4 at {time}, can we push it an hour",
    "pls tell ms {lw:l} i still need the form signed",
    "coach {lo:l} said the uniforms ship in {month:l}",
    "its registered to {ln:l} bc my husband set it up",
    "{lo:l} residence, we have a leak near the meter",
    "ms {ln:l} the vice principal told me to contact the bus company directly",
    "ordered under {lo:l} not my first name, search by that",
    "the {ln:l} kids next door got the new router but we didnt",
    "policy holder last name: {lo:l}\nclaim type: auto glass",
]

# ---------------------------------------------------------------- APOS (15)
APOS_T = [
    "my landlord {apn} says the gas is in my name now",
    "pls update the name on the account to {apn}, the system keeps dropping part of it",
    "is {apf} working today? they fixed my router last time",
    "mrs {apl} from the district office said to email u",
    "{apl:l} family acct, pause the milk delivery for 2 wks",
    "my name is {apn} but the boarding pass prints it weird, will that be an issue",
    "{apf}'s new phone hasnt activated yet",
    "Dr. {apl} said the referral was sent on {day}",
    "ordered under {apn:l} and it got delivered to the wrong apt",
    "the caseworker is {apn}, they said to reach out here",
    "cc {apf:l} and me on the statement emails pls",
    "the form wont accept my name {apn}, says invalid characters",
    "me and {apf:l} split the bill 50/50 how do i set that up",
    "Hi, this is {apn}. My order {order} is late.",
    "THE ACCOUNT IS UNDER {apl:u} NOT MY HUSBANDS NAME",
]

# ---------------------------------------------------------------- NEGATIVES (100)
NEG_T = [
    "is the wendys on {street} open late on {day:l}s",
    "ordered ben & jerry's from the app and it came melted, can i get a refund of {amt}",
    "yall charged me for 2 dr pepper and i only got one",
    "trader joe's delivery never came, order {order}",
    "jimmy johns order was missing the chips again",
    "can i use my dave & buster's gift card in the app or only in store",
    "TIM HORTONS ORDER WRONG AGAIN I ASKED FOR NO SUGAR",
    "the marie callender's pot pie in my order was expired",
    "will the store on {street} have the new phone in stock on {day}?",
    "may i speak to a manager please",
    "i got the grant for school but financial aid still shows a balance of {amt}",
    "my bill is {amt} this month, it was {amt} last month, why",
    "i dont want to chase this refund anymore its been 3 weeks",
    "pls mark my account as paperless",
    "hope u can help me, my card got declined at the pump",
    "being rich would be nice but i just need my deposit back lol",
    "it was sunny all day and my package sat outside and the chocolate melted",
    "rates rose again?? i signed up for a fixed rate",
    "can i pause my gym membership for the summer",
    "the x ray results arent showing in my portal",
    "the max plan is {amt} but the website said {amt} yesterday",
    "give ur tech a pat on the back he was great",
    "the driver went to martin luther king blvd instead of {street}",
    "i moved from san jose to st. louis, how do i transfer my service",
    "delivery address is {num} lincoln ave apt 2, not lincoln st",
    "my appointment is in april, can i move it to may or june",
    "my pharmacy on washington st closed, can i transfer my rx to the walgreens on {street}",
    "the manager said i would get a call back by friday",
    "need to talk to a supervisor, not a bot",
    "ur technician left the cable on the lawn",
    "my lakers tickets wont show up in the wallet app",
    "im a cowboys fan and the streaming app wont show the game in {city}",
    "how do i turn on family link for my kids tablet",
    "can i upgrade to premium plus without a new contract",
    "SAMS CLUB ORDER CANCELLED WITHOUT ANY EMAIL",
    "the mcdonalds on {street} charged me twice for a mcflurry",
    "my flight from o'hare to jfk got moved to {time}, can i get a refund",
    "does the insurance cover a visit to an urgent care in fort worth?",
    "lowes delivery for the fridge is scheduled {day} but i need it {day}",
    "is dennys part of the rewards program",
    "my kohls cash didnt apply at checkout",
    "papa johns pizza came cold, 1 hour late",
    "LITTLE CAESARS APP KEEPS CRASHING",
    "i ordered the calvin klein jeans in 32 and got 34",
    "got a wells fargo alert that my card was used in {city}, that wasnt me",
    "transfer from my charles schwab account to this one is stuck",
    "i asked alexa to reorder paper towels and it ordered 12 packs",
    "the granny smith apples in my grocery order were bruised",
    "ordered a caesar salad and got a cobb salad",
    "eggs benedict on the brunch menu is listed at {amt} but i was charged {amt}",
    "can u add a shirley temple to my kids meal order",
    "the arnold palmer in my order was missing",
    "john deere mower part backordered since {month}, whats the eta",
    "my lincoln navigator lease payment didnt go thru",
    "the mercedes dealer says the warranty covers it but the insurance app says no",
    "the sign up form for summer camp wont let me pick {month}",
    "is the store open on memorial day",
    "I WILL CANCEL IF THIS ISNT FIXED BY {day:u}",
    "the ray ban glasses i returned still show as not received",
    "the jack in the box order came without the sauce",
    "pls bill me monthly instead of yearly",
    "the app rounds to the nearest penny and im off by a penny every month",
    "i had faith in this company but this is the third time",
    "no joy with the reset steps, still no internet",
    "the crystal glasses i ordered arrived broken",
    "delivery window says dawn to dusk, thats not a window lol",
    "ruby red grapefruit juice was out of stock and they subbed orange",
    "the jade plant i ordered from the garden center came dead",
    "holly wreaths still listed in the christmas section in march",
    "the pipes are rusty and the water looks brown, is there an outage on {street}",
    "does my plan cover gene testing",
    "to be frank this is the worst service ive had",
    "the sterling silver necklace tarnished in a week",
    "the saints game keeps buffering on my tv app",
    "the dasher left my food at the wrong door",
    "turn off instant pay pls i dont want the fee",
    "the hilton honors points didnt post for my stay in {city}",
    "my marriott reservation in san antonio got cancelled",
    "flight to st. paul delayed, will i miss the connection",
    "the uber to reagan national charged surge pricing at {time}",
    "package stuck in augusta for 4 days",
    "moving from charlotte to austin next month, can i keep my number",
    "the jackson hewitt refund advance card isnt working",
    "the kate spade bag i returned still hasnt been refunded",
    "does the betty crocker cake mix have nuts, the app doesnt say",
    "the sara lee bread in my order was moldy",
    "jose cuervo was on sale for {amt} in the app but rang up full price",
    "the mrs fields cookie tin was crushed",
    "the tommy hilfiger jacket was the wrong size",
    "order from the chick fil a on cesar chavez ave was wrong",
    "the insurance adjuster hasnt called me back",
    "VICTORIAS SECRET ORDER CAME WITHOUT THE GIFT RECEIPT",
    "the dollar general on roosevelt rd didnt have my pickup ready",
    "the warriors streaming pass is showing a blackout in my area {zip}",
    "my dog needs his shots before boarding, do u need the vet records",
    "the cleveland browns tickets were transferred to the wrong account",
    "there is a mark on my credit report from u guys that shouldnt be there",
    "the pharmacist said the generic is on backorder until {month}",
    "hi nurse line, is the clinic on {street} open {day}",
    "my sister and i share the family plan and the {month} bill doubled",
]


def check(rec, values=None):
    """Spans well formed and (if given) equal to the values that were filled in (see
    pii_chat_dev_records.check_record)."""
    check_record(rec, KINDS, values)


def _check_lists():
    """Plain lists hold plain names; APOS lists hold marked ones."""
    plain = re.compile(r"^[A-Z][A-Za-z]+$")
    for o, (_, m, f, s) in ORIGINS.items():
        for n in m + f + s:
            assert plain.match(n), (o, n)
            assert not re.match(r"^Ma?c[A-Z]", n), (o, n)
    for n in WORD_M + WORD_F + WORD_U + NICK_M + NICK_F + NICK_U + WORD_LAST:
        assert plain.match(n), n
    marked = re.compile(r"['ʻ-]|[^\x00-\x7f]|^Ma?c[A-Z]|^(De|Di|La|Le|Vander)[A-Z]")
    particle = re.compile(r"(^|\s)(de|del|la|los|dela|delos|van|von|al|el|st\.)\s")
    for _, n in APOS_FIRST + APOS_LAST:
        assert marked.search(n) or particle.search(n.lower()), n
        assert len(n.upper()) == len(n) == len(n.lower()), n


def build():
    RNG.seed(SEED)
    _check_lists()
    # no name word twice among one template's fills
    builder = RecordBuilder(fill=fill, check=check, unambiguous=unambiguous, value_keys=_tokens)
    assert len(FIRST_T) == 45 and len(LAST_T) == 20 and len(LNAME_T) == 30
    assert len(LLOW_T) == 15 and len(APOS_T) == 15
    builder.add_templates(FIRST_T, "first", 5, "first")
    builder.add_templates(LAST_T, "last", 5, "last")
    builder.add_templates(LNAME_T, "lname", 5, "lname")
    builder.add_templates(LLOW_T, "llow", 5, "last_lower")
    builder.add_templates(APOS_T, "apos", 5, "apos")
    assert len(NEG_T) == 100, len(NEG_T)
    builder.add_negatives(NEG_T)
    return builder.records


def main():
    run_main(build)


if __name__ == "__main__":
    main()
